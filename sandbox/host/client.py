"""The host's side of the HTTP protocol with the site (judge/hosts/views.py is the other side)."""

import json
import urllib.error
import urllib.request

from sandbox.host.cache import TestCache
from sandbox.host.signing import SIGNATURE_HEADER, HostKey

TIMEOUT = 60
MAX_TEST_BYTES = 1024 * 1024 * 1024


class SiteError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(f"{status}: {message}")
        self.status = status


class Site:
    def __init__(self, url: str, token: str, *, cache: TestCache, key: HostKey):
        self.url, self.token, self.cache, self.key = url.rstrip("/"), token, cache, key

    def _request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        request = urllib.request.Request(self.url + path, data=body, method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        if body is not None:
            request.add_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - the site's URL
                return response.status, response.read(MAX_TEST_BYTES + 1)
        except urllib.error.HTTPError as exc:
            raise SiteError(exc.code, exc.read(4096).decode(errors="replace")) from None

    def post_json(self, path: str, payload: dict) -> dict | None:
        status, data = self._request("POST", path, json.dumps(payload).encode())
        return json.loads(data) if status == 200 and data else None

    def claim(self, *, languages: list[str]) -> dict | None:
        """The next job, or None when there is none for this host now."""
        return self.post_json("/hosts/api/jobs/claim", {"languages": languages})

    def heartbeat(self, payload: dict) -> None:
        """Also announces the host's public key: the site pins the first one it hears."""
        self.post_json("/hosts/api/heartbeat", {**payload, "public_key": self.key.public_key})

    def test_file(self, sha: str) -> bytes:
        """A test file by hash: from the cache, else fetched once, verified and kept."""
        if (data := self.cache.get(sha)) is not None:
            return data
        _, data = self._request("GET", f"/hosts/api/tests/{sha}")
        self.cache.put(sha, data)  # raises HashMismatch for a corrupted download
        return data

    def report(self, job: dict, seq: int, message: dict) -> dict:
        """Post one signed result message; raises SiteError (409 replayed, 410 claim lost, ...)."""
        body = json.dumps({**message, "job": job["job"], "claim": job["claim"], "seq": seq}).encode()
        headers = {SIGNATURE_HEADER: self.key.sign(body)}
        _, data = self._request("POST", f"/hosts/api/jobs/{job['job']}/results", body, headers)
        return json.loads(data)
