import stat
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox import signing
from sandbox.host.signing import HostKey, host_key_id, token_hash

ROOT = Path(__file__).resolve().parents[2]


def test_a_signed_body_verifies_and_a_changed_one_or_another_key_does_not(tmp_path):
    key, other = HostKey.load(tmp_path / "a.key"), HostKey.load(tmp_path / "b.key")
    body = b'{"kind": "test", "verdict": "WA"}'
    signature = key.sign(body)

    assert signing.signature_valid(public_key=key.public_key, data=body, signature=signature)
    assert not signing.signature_valid(
        public_key=key.public_key, data=body.replace(b"WA", b"AC"), signature=signature
    )
    assert not signing.signature_valid(public_key=other.public_key, data=body, signature=signature)
    assert not signing.signature_valid(public_key=key.public_key, data=body, signature="")
    assert not signing.signature_valid(public_key="not base64!", data=body, signature=signature)


def test_a_record_signature_holds_whatever_order_its_keys_come_back_in(tmp_path):
    key = HostKey.load(tmp_path / "host.key")
    record = {"outcome": "OK", "cpu_time": 0.012345, "limits": {"memory": 1, "cpu_time": 2.0}, "name": "é"}
    reordered = {"name": "é", "limits": {"cpu_time": 2.0, "memory": 1}, "cpu_time": 0.012345, "outcome": "OK"}

    signature = key.record_sign(record)

    assert signing.signature_valid(
        public_key=key.public_key, data=signing.canonical(reordered), signature=signature
    )
    changed = {**reordered, "cpu_time": 0.5}
    assert not signing.signature_valid(
        public_key=key.public_key, data=signing.canonical(changed), signature=signature
    )


def test_the_key_file_is_made_once_private_and_kept(tmp_path):
    path = tmp_path / "deep" / "signing.key"

    first, again = HostKey.load(path), HostKey.load(path)

    assert first.public_key == again.public_key and first.key_id == host_key_id(first.public_key)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.write_text("garbage\n")
    with pytest.raises(signing.KeyFileError):
        HostKey.load(path)


def test_the_stored_token_hash_does_not_reveal_the_token():
    token = "token-1"

    assert token not in token_hash(token)
    assert token_hash(token) == token_hash(token) and token_hash("token-2") != token_hash(token)


def test_the_judge_host_imports_no_part_of_the_site():
    probe = (
        "import sys, sandbox.host.__main__, sandbox.host.worker;"
        "site = ('django', 'judge', 'problems', 'accounts');"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in site);"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)

    assert done.returncode == 0, done.stdout + done.stderr
