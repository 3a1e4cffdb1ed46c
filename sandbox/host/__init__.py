"""A judge host: runs submissions for a site it reaches over HTTP(S), holding no database access.

`python -m sandbox.host --site https://judge.example --token TOKEN` pulls jobs, fetches their test files
by SHA-256 (cached here, verified), judges each test in a fresh box and posts signed results back.
Only the sandbox package (and Docker) is needed; nothing here imports the site.
"""
