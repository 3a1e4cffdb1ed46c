import subprocess
import sys
from pathlib import Path

from sandbox.host.signing import message_sign, message_verify, signing_key, token_hash

ROOT = Path(__file__).resolve().parents[2]


def test_a_signed_body_verifies_and_a_changed_one_does_not():
    key = signing_key("token-1")
    body = b'{"kind": "test", "verdict": "WA"}'
    signature = message_sign(key=key, body=body)

    assert message_verify(key=key, body=body, signature=signature)
    assert not message_verify(key=key, body=body.replace(b"WA", b"AC"), signature=signature)
    assert not message_verify(key=signing_key("token-2"), body=body, signature=signature)
    assert not message_verify(key=key, body=body, signature="")


def test_the_stored_hash_and_key_reveal_neither_the_token_nor_each_other():
    token = "token-1"

    assert token not in (token_hash(token), signing_key(token))
    assert token_hash(token) != signing_key(token)
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
