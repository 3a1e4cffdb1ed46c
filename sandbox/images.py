"""Build the judge's container images from images/, rebuilding only those whose recipe changed.

The base image starts from a Debian root filesystem made with debootstrap (nothing is pulled from a
registry); each language image is built FROM the base. Every image carries the hash of its recipe, and
of the recipes under it, in the label `ojudge.content-hash`. Run `python -m sandbox.images --help`.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import docker
from docker.errors import DockerException, ImageNotFound

from sandbox.errors import EngineUnavailable, ImageBuildError, SandboxError
from sandbox.languages import LANGUAGES

# Language image tag -> its folder under images/; two languages may share one image (java, kotlin).
IMAGES = {lang.image: lang.folder for lang in LANGUAGES.values()}
BASE_TAG = "ojudge/base:1"
BASE_FOLDER = "base"
ROOTFS_REPO = "ojudge/rootfs"
HASH_LABEL = "ojudge.content-hash"
VERSION_LABEL = "ojudge.version."  # + language key: the first line of its version_argv, run at build time
IMAGES_DIR = Path(__file__).resolve().parent.parent / "images"

# Bump ROOTFS_RECIPE when _prepare_rootfs changes, so existing root filesystems are made again.
ROOTFS_RECIPE = 1
SUITE = "bookworm"
VARIANT = "minbase"
EXTRA_PACKAGES: tuple[str, ...] = ()
DEFAULT_MIRROR = "http://deb.debian.org/debian"
DEFAULT_SECURITY_MIRROR = "http://deb.debian.org/debian-security"
# Like images/base/rootfs/etc/dpkg/dpkg.cfg.d/ojudge-slim, applied to what debootstrap installed.
SLIM_DIRS = ("usr/share/doc", "usr/share/man", "usr/share/info", "usr/share/locale", "usr/share/lintian")
SLIM_KEEP = {"copyright", "locale.alias"}
ROOTFS_CHANGES = [
    "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    'CMD ["/bin/bash"]',
]

Log = Callable[[str], None]


# Content hashes


def _digest(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def dir_hash(path: Path) -> str:
    """Hash of the relative path, executable bit and content of every file under `path`."""
    files = sorted((p for p in path.rglob("*") if p.is_file()), key=lambda p: p.relative_to(path).as_posix())
    parts: list[str | bytes] = []
    for file in files:
        executable = "x" if file.stat().st_mode & 0o100 else "-"
        parts += [file.relative_to(path).as_posix(), executable, file.read_bytes()]
    return _digest(*parts)


def rootfs_params() -> dict[str, object]:
    """The debootstrap parameters of the base root filesystem (mirrors come from the environment)."""
    return {
        "recipe": ROOTFS_RECIPE,
        "suite": SUITE,
        "variant": VARIANT,
        "include": list(EXTRA_PACKAGES),
        "mirror": os.environ.get("OJ_DEBIAN_MIRROR") or DEFAULT_MIRROR,
        "security_mirror": os.environ.get("OJ_DEBIAN_SECURITY_MIRROR") or DEFAULT_SECURITY_MIRROR,
    }


def rootfs_hash(params: dict[str, object] | None = None) -> str:
    """Hash of the debootstrap parameters; names the imported image `ojudge/rootfs:<hash[:16]>`."""
    return _digest(json.dumps(params or rootfs_params(), sort_keys=True))


def content_hash(folder: str, *, root: Path | None = None) -> str:
    """Hash of images/<folder> (or root/folder) and of the recipes under it: base, then the rootfs."""
    root = root or IMAGES_DIR
    if not (root / folder / "Dockerfile").is_file():
        raise ImageBuildError(f"no Dockerfile in {root / folder}")
    parent = rootfs_hash() if folder == BASE_FOLDER else content_hash(BASE_FOLDER, root=root)
    # The version commands are part of the recipe: changing one relabels the image.
    probes = [[lang.key, *lang.version_argv] for lang in LANGUAGES.values() if lang.folder == folder]
    return _digest(parent, dir_hash(root / folder), *([json.dumps(probes)] if probes else []))


# Docker helpers


@contextmanager
def _docker_errors(what: str) -> Iterator[None]:
    # requests' connection errors are OSErrors, and the SDK lets some of them through unwrapped.
    try:
        yield
    except (DockerException, OSError) as exc:
        raise ImageBuildError(f"{what}: {exc}") from exc


def _client(client: docker.DockerClient | None) -> docker.DockerClient:
    if client is not None:
        return client
    try:
        return docker.from_env()
    except DockerException as exc:
        raise EngineUnavailable(f"Docker engine unreachable (see scripts/docker-engine.sh): {exc}") from exc


def _label(client: docker.DockerClient, tag: str) -> str | None:
    """The content hash `tag` was built from: "" if it has none, None if the image is missing."""
    with _docker_errors(f"inspecting {tag}"):
        try:
            return client.images.get(tag).labels.get(HASH_LABEL, "")
        except ImageNotFound:
            return None


def _size_mb(client: docker.DockerClient, tag: str) -> int:
    with _docker_errors(f"inspecting {tag}"):
        return round(client.images.get(tag).attrs["Size"] / 1e6)


@contextmanager
def _timed(log: Log, what: str) -> Iterator[None]:
    started = time.monotonic()
    yield
    log(f"{what} took {time.monotonic() - started:.0f}s")


# The root filesystem


def _run(argv: list[str], what: str) -> None:
    try:
        result = subprocess.run(argv, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise ImageBuildError(f"{what}: {exc}") from exc
    if result.returncode != 0:
        output = (result.stdout + result.stderr)[-3000:]
        raise ImageBuildError(f"{what} failed with exit code {result.returncode}:\n{output}")


def _debootstrap(target: Path, params: dict, log: Log) -> None:
    if shutil.which("debootstrap") is None:
        raise ImageBuildError("debootstrap is not installed (scripts/docker-engine.sh installs it)")
    include = [f"--include={','.join(params['include'])}"] if params["include"] else []
    argv = ["debootstrap", f"--variant={params['variant']}", *include, params["suite"], str(target)]
    log(f"debootstrap {params['variant']} {params['suite']} from {params['mirror']}")
    with _timed(log, "debootstrap"):
        _run([*argv, params["mirror"]], "debootstrap")


def _sources_list(params: dict) -> str:
    suite, mirror, security = params["suite"], params["mirror"], params["security_mirror"]
    lines = [
        f"deb {mirror} {suite} main",
        f"deb {mirror} {suite}-updates main",
        f"deb {security} {suite}-security main",
    ]
    return "\n".join(lines) + "\n"


def _prepare_rootfs(target: Path, params: dict) -> None:
    """Point apt at the mirrors and drop what debootstrap leaves behind that the image doesn't need."""
    (target / "etc/apt/sources.list").write_text(_sources_list(params))
    (target / "etc/resolv.conf").write_text("")
    for pattern in ("var/lib/apt/lists/*_*", "var/cache/apt/archives/*.deb", "var/cache/apt/*.bin"):
        for path in target.glob(pattern):
            path.unlink()
    for folder in SLIM_DIRS:
        for parent, _, names in os.walk(target / folder):
            for name in set(names) - SLIM_KEEP:
                os.unlink(os.path.join(parent, name))


def _import(client: docker.DockerClient, tarball: Path, tag: str, digest: str, log: Log) -> None:
    repository, _, version = tag.partition(":")
    changes = [*ROOTFS_CHANGES, f"LABEL {HASH_LABEL}={digest}"]
    with _timed(log, f"importing {tag}"), _docker_errors(f"importing {tag}"):
        output = client.api.import_image_from_file(str(tarball), repository, version, changes=changes)
    if '"error"' in output:
        raise ImageBuildError(f"importing {tag} failed: {output.strip()[-2000:]}")


def _ensure_rootfs(client: docker.DockerClient, *, force: bool, log: Log) -> str:
    """Make and import the Debian root filesystem unless it is there already; return its tag."""
    params = rootfs_params()
    digest = rootfs_hash(params)
    tag = f"{ROOTFS_REPO}:{digest[:16]}"
    if not force and _label(client, tag) == digest:
        log(f"{tag}: up to date")
        return tag
    with tempfile.TemporaryDirectory(prefix="ojudge-rootfs-") as tmp:
        target, tarball = Path(tmp) / "rootfs", Path(tmp) / "rootfs.tar"
        _debootstrap(target, params, log)
        _prepare_rootfs(target, params)
        with _timed(log, "tar"):
            _run(["tar", "--numeric-owner", "-C", str(target), "-cf", str(tarball), "."], "tar")
        _import(client, tarball, tag, digest, log)
    return tag


# Dockerfile builds


def _follow(stream: Iterable[dict], tag: str, log: Log) -> None:
    recent: deque[str] = deque(maxlen=30)
    for chunk in stream:
        if "error" in chunk:
            raise ImageBuildError(f"building {tag} failed: {chunk['error'].strip()}\n{''.join(recent)}")
        text = chunk.get("stream", "")
        recent.append(text)
        if text.startswith("Step "):
            log(f"  {' '.join(text.split())[:100]}")


def _build(client: docker.DockerClient, tag: str, folder: str, *, force: bool, log: Log, **kwargs) -> None:
    # The host network because the engine may run without a bridge; apt inside the build needs a network.
    with _timed(log, f"building {tag}"), _docker_errors(f"building {tag}"):
        stream = client.api.build(
            path=str(IMAGES_DIR / folder),
            tag=tag,
            nocache=force,
            rm=True,
            forcerm=True,
            pull=False,
            network_mode="host",
            decode=True,
            **kwargs,
        )
        _follow(stream, tag, log)


def _ensure(client: docker.DockerClient, tag: str, folder: str, *, force: bool, log: Log) -> bool:
    """Build `tag` from images/<folder> if missing or stale (or `force`); return whether it was built."""
    digest = content_hash(folder)
    if not force and _label(client, tag) == digest and _has_versions(client, tag):
        log(f"{tag}: up to date")
        return False
    buildargs = {"ROOTFS": _ensure_rootfs(client, force=force, log=log)} if folder == BASE_FOLDER else None
    log(f"{tag}: building from images/{folder}")
    labels = {HASH_LABEL: digest}
    if _image_languages(tag):
        _build(client, tag, folder, force=force, log=log, labels={}, buildargs=buildargs)
        versions = _versions_probe(client, tag)
        log("  " + ", ".join(f"{key} {version}" for key, version in versions.items()))
        labels |= {VERSION_LABEL + key: version for key, version in versions.items()}
        force = False  # the same build again, all from cache, adds the labels: "ready" only with them
    _build(client, tag, folder, force=force, log=log, labels=labels, buildargs=buildargs)
    log(f"{tag}: ready, {_size_mb(client, tag)} MB")
    return True


def _image_languages(tag: str) -> list:
    return [lang for lang in LANGUAGES.values() if lang.image == tag and lang.version_argv]


def _has_versions(client: docker.DockerClient, tag: str) -> bool:
    with _docker_errors(f"inspecting {tag}"):
        labels = client.images.get(tag).labels
    return all(VERSION_LABEL + lang.key in labels for lang in _image_languages(tag))


def _versions_probe(client: docker.DockerClient, tag: str) -> dict[str, str]:
    """Each language's version, from its version_argv run in the new image (no network, as the box)."""
    versions = {}
    for lang in _image_languages(tag):
        with _docker_errors(f"asking {tag} for the {lang.key} version"):
            output = client.containers.run(
                tag, list(lang.version_argv), remove=True, network_disabled=True, stdout=True, stderr=True
            )
        lines = [line.strip().removeprefix("info: ") for line in output.decode(errors="replace").splitlines()]
        lines = [line for line in lines if line and "warning" not in line.lower()]  # the JVM's, for kotlinc
        versions[lang.key] = (lines[0] if lines else "unknown")[:120]
    return versions


def _tidy(client: docker.DockerClient, log: Log) -> None:
    """Drop untagged images that carry our label: the previous versions and the base's build stage."""
    with _docker_errors("removing old images"):
        pruned = client.images.prune(filters={"dangling": True, "label": HASH_LABEL})
    reclaimed = pruned.get("SpaceReclaimed") or 0
    if reclaimed:
        log(f"removed old images, {round(reclaimed / 1e6)} MB reclaimed")


# Public interface


def _check_tags(tags: list[str] | None) -> list[str]:
    unknown = sorted(set(tags or ()) - set(IMAGES))
    if unknown:
        raise ValueError(f"unknown image tags {unknown}; known: {sorted(IMAGES)}")
    return list(IMAGES) if tags is None else list(dict.fromkeys(tags))


def _recipes(tags: list[str]) -> list[tuple[str, str]]:
    return [(BASE_TAG, BASE_FOLDER), *((tag, IMAGES[tag]) for tag in tags)]


def images_build(
    *,
    client: docker.DockerClient | None = None,
    tags: list[str] | None = None,
    force: bool = False,
    log: Log = print,
) -> list[str]:
    """Build the base image, then the language images in `tags` (default: all of IMAGES).

    An image is built only when it is missing or its recipe changed, unless `force` rebuilds it without
    Docker's layer cache. Returns the base tag and the requested tags, all ready now.
    Raises EngineUnavailable when Docker can't be reached and ImageBuildError when a build fails.
    """
    wanted = _check_tags(tags)
    client = _client(client)
    with _timed(log, "images_build"):
        built = [_ensure(client, tag, folder, force=force, log=log) for tag, folder in _recipes(wanted)]
        if any(built):
            _tidy(client, log)
    return [BASE_TAG, *wanted]


def images_status(*, client: docker.DockerClient | None = None) -> dict[str, str]:
    """Map the base and every language tag to "ready", "stale" (recipe changed) or "missing"."""
    client = _client(client)
    status = {}
    for tag, folder in _recipes(list(IMAGES)):
        label = _label(client, tag)
        ready = label == content_hash(folder) and _has_versions(client, tag)
        status[tag] = "missing" if label is None else "ready" if ready else "stale"
    return status


def images_problems(*, client: docker.DockerClient | None = None) -> list[str]:
    """What an engine's check says about the images: one line per image that is not ready."""
    return [
        f"image {tag} is {state}: build it with `python -m sandbox.images`"
        for tag, state in images_status(client=client).items()
        if state != "ready"
    ]


_versions_seen: tuple[float, dict[str, str]] = (float("-inf"), {})


def language_versions(*, client: docker.DockerClient | None = None, max_age: float = 0.0) -> dict[str, str]:
    """Every language's version as its image's label says; "" when the image is missing (or was built
    before images carried versions), so that language can't run here. An answer up to `max_age` seconds
    old may be reused (the site asks on every page). Raises EngineUnavailable when Docker is unreachable."""
    global _versions_seen
    seen_at, versions = _versions_seen
    if time.monotonic() - seen_at <= max_age:
        return dict(versions)
    versions = _versions_read(_client(client))
    _versions_seen = (time.monotonic(), versions)
    return dict(versions)


def _versions_read(client: docker.DockerClient) -> dict[str, str]:
    labels: dict[str, dict[str, str]] = {}
    for tag in IMAGES:
        with _docker_errors(f"inspecting {tag}"):
            try:
                labels[tag] = client.images.get(tag).labels or {}
            except ImageNotFound:
                labels[tag] = {}
    return {key: labels[lang.image].get(VERSION_LABEL + key, "") for key, lang in LANGUAGES.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox.images", description="Build the judge's images.")
    parser.add_argument("tags", nargs="*", metavar="TAG", help=f"default: all of {', '.join(IMAGES)}")
    parser.add_argument("--force", action="store_true", help="rebuild up-to-date images too, without cache")
    parser.add_argument("--status", action="store_true", help="show which images are ready, stale or missing")
    args = parser.parse_args(argv)
    log = functools.partial(print, flush=True)
    try:
        if args.status:
            for tag, state in images_status().items():
                log(f"{tag:20} {state}")
        else:
            images_build(tags=args.tags or None, force=args.force, log=log)
    except (SandboxError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
