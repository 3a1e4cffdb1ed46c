#!/usr/bin/env bash
# Make sure a Docker engine answers `docker info`. Installs docker.io when missing, plus debootstrap,
# which `python -m sandbox.images` needs to make the base root filesystem. Works as root without systemd.
set -euo pipefail

LOG=/var/log/ojudge-dockerd.log
WAIT_SECONDS=30

say() { echo "docker-engine: $*"; }
die() { echo "docker-engine: $*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
engine_ready() { docker info >/dev/null 2>&1; }

dockerd_running() {
    grep -qx dockerd /proc/[0-9]*/comm 2>/dev/null
}

apt_install() {
    export DEBIAN_FRONTEND=noninteractive
    # Refresh the package lists only when apt doesn't know the packages or its lists are out of date.
    apt-cache show "$@" >/dev/null 2>&1 || apt-get update
    apt-get install -y --no-install-recommends "$@" || { apt-get update && apt-get install -y --no-install-recommends "$@"; }
}

install_missing() {
    local missing=()
    have dockerd || missing+=(docker.io)
    have debootstrap || missing+=(debootstrap)
    if [ ${#missing[@]} -gt 0 ]; then
        say "installing ${missing[*]}"
        apt_install "${missing[@]}"
    fi
}

start_dockerd() {
    if dockerd_running; then
        say "dockerd is already running; waiting for it"
        return 0
    fi
    say "starting dockerd (log: $LOG)"
    # No bridge and no iptables: builds use the host network and sandboxed runs use none.
    # setsid: the engine must outlive the shell (and process group) that started it.
    setsid nohup dockerd --iptables=false --bridge=none >>"$LOG" 2>&1 </dev/null &
}

wait_ready() {
    local i
    for ((i = 0; i < WAIT_SECONDS; i++)); do
        engine_ready && return 0
        sleep 1
    done
    tail -n 20 "$LOG" >&2 2>/dev/null || true
    die "the Docker engine did not answer 'docker info' within ${WAIT_SECONDS}s (see $LOG)"
}

main() {
    if engine_ready && have debootstrap; then
        exit 0
    fi
    if [ "$(id -u)" -ne 0 ]; then
        engine_ready && { say "warning: debootstrap is missing; images can't be built"; exit 0; }
        die "the Docker engine is not reachable and only root can install or start it"
    fi
    install_missing
    engine_ready || { start_dockerd; wait_ready; }
    say "ready"
}

main "$@"
