import socket
import urllib.request

escaped = False
for host, port in [("1.1.1.1", 53), ("127.0.0.1", 6379), ("127.0.0.1", 8000)]:
    try:
        socket.create_connection((host, port), timeout=2).close()
        print(f"ESCAPED: connected to {host}:{port}")
        escaped = True
    except OSError as exc:
        print(f"{host}:{port} blocked: {exc!r}")
try:
    urllib.request.urlopen("http://example.com/", timeout=2)
    print("ESCAPED: fetched example.com")
    escaped = True
except OSError as exc:
    print(f"http blocked: {exc!r}")
print("ESCAPED" if escaped else "blocked")
raise SystemExit(1 if escaped else 0)
