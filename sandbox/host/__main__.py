"""`python -m sandbox.host --site URL --token TOKEN`: a judge host (token also from JUDGE_HOST_TOKEN)."""

import argparse
import logging
import os
import socket
import sys
import threading
import time
from pathlib import Path

from sandbox.engines import engine_get
from sandbox.engines.base import Engine
from sandbox.errors import SandboxError
from sandbox.host.cache import TestCache
from sandbox.host.client import Site, SiteError
from sandbox.host.signing import HostKey
from sandbox.host.worker import engine_problem, job_run
from sandbox.signing import KeyFileError

log = logging.getLogger("sandbox.host")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sandbox.host", description=__doc__)
    parser.add_argument("--site", required=True, help="the site's base URL, e.g. https://judge.example")
    parser.add_argument("--token", default=os.environ.get("JUDGE_HOST_TOKEN", ""), help="this host's token")
    parser.add_argument("--engine", default=None, help="engine class, dotted path")
    parser.add_argument("--capacity", type=int, default=1, help="jobs judged at once")
    parser.add_argument("--cache-dir", default=str(Path.home() / ".cache" / "judge-host" / "tests"))
    parser.add_argument(
        "--key-file",
        default=os.environ.get(
            "JUDGE_HOST_KEY_FILE", str(Path.home() / ".config" / "judge-host" / "signing.key")
        ),
        help="this host's Ed25519 signing key (made on first start; the site pins its public half)",
    )
    parser.add_argument("--cache-mib", type=int, default=2048, help="largest size of the test cache")
    parser.add_argument("--heartbeat", type=float, default=5.0, help="seconds between heartbeats")
    parser.add_argument("--sweep", type=float, default=300.0, help="seconds between leftover-box sweeps")
    parser.add_argument("--poll-max", type=float, default=5.0, help="longest wait between claims when idle")
    args = parser.parse_args(argv)
    if not args.token:
        parser.error("give --token or set JUDGE_HOST_TOKEN")
    if args.capacity < 1:
        parser.error("--capacity must be at least 1")
    return args


class Host:
    def __init__(self, site: Site, engine: Engine, args: argparse.Namespace):
        self.site, self.engine, self.args = site, engine, args
        self.active: set[int] = set()
        self.lock = threading.Lock()
        self.languages: dict[str, str] = {}

    def beat(self) -> None:
        from sandbox import language_versions  # imported late: see sandbox/__init__.py

        problem = engine_problem(self.engine)
        try:
            self.languages = {} if problem else language_versions(max_age=60)
        except SandboxError as exc:
            problem, self.languages = str(exc), {}
        with self.lock:
            jobs = sorted(self.active)
        self.site.heartbeat(
            {
                "hostname": socket.gethostname(),
                "engine": type(self.engine).__name__,
                "engine_problem": problem,
                "languages": self.languages,
                "capacity": self.args.capacity,
                "jobs": jobs,
            }
        )

    def first_beat(self) -> bool:
        """Announce this host; wait while the site is not up yet. False when the site refuses it."""
        while True:
            try:
                self.beat()
                return True
            except SiteError as exc:
                print(f"the site refused this host: {exc}", file=sys.stderr)
                return False
            except OSError as exc:  # not listening yet (started together), or away for a moment
                log.warning("site unreachable (%s); trying again", exc)
                time.sleep(min(self.args.poll_max, 2.0))

    def beat_loop(self) -> None:
        swept = 0.0
        while True:
            try:
                self.beat()
            except Exception:  # noqa: BLE001 - the site away for a moment: beat again later
                log.warning("heartbeat failed", exc_info=True)
            if time.monotonic() - swept > self.args.sweep:
                swept = time.monotonic()
                self.sweep()
            time.sleep(self.args.heartbeat)

    def sweep(self) -> None:
        """Boxes a killed host left behind: this machine's, so no site worker would remove them. A sweep
        that breaks (the runtime gone) must not end the heartbeat thread: the next one tries again."""
        try:
            self.engine.sweep()
        except Exception:  # noqa: BLE001 - the heartbeat reports the engine problem meanwhile
            log.warning("leftover-box sweep failed", exc_info=True)

    def claim_loop(self) -> None:
        wait = 0.5
        while True:
            languages = sorted(key for key, version in self.languages.items() if version)
            try:
                job = self.site.claim(languages=languages) if languages else None
            except SiteError as exc:
                if exc.status == 401:
                    log.error("the site refuses this host's token (revoked?); stopping")
                    os._exit(2)
                log.warning("claim failed: %s", exc)
                job = None
            except OSError as exc:
                log.warning("site unreachable: %s", exc)
                job = None
            if job is None:
                time.sleep(wait)
                wait = min(self.args.poll_max, wait * 2)
                continue
            wait = 0.5
            if job_run(site=self.site, data=job, engine=self.engine, active=self.active, lock=self.lock):
                self.languages = {}  # the engine is down: claim nothing until a heartbeat finds it back


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = _arguments(argv)
    cache = TestCache(Path(args.cache_dir), max_bytes=args.cache_mib * 1024 * 1024)
    try:
        key = HostKey.load(Path(args.key_file))
    except (KeyFileError, OSError) as exc:
        print(f"cannot use the signing key: {exc}", file=sys.stderr)
        return 2
    log.info("signing key %s (%s)", key.key_id, args.key_file)
    host = Host(Site(args.site, args.token, cache=cache, key=key), engine_get(args.engine), args)
    if not host.first_beat():
        return 2
    threading.Thread(target=host.beat_loop, name="heartbeat", daemon=True).start()
    for index in range(args.capacity - 1):
        threading.Thread(target=host.claim_loop, name=f"judge-{index + 1}", daemon=True).start()
    host.claim_loop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
