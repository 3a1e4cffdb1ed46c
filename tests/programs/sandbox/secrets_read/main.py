import os

escaped = []
for path in ["/etc/shadow", "/etc/gshadow", "/proc/kcore", "/dev/mem", "/root/.bash_history"]:
    try:
        with open(path, "rb") as file:
            file.read(1)
        escaped.append(path)
    except OSError as exc:
        print(f"{path} blocked: {exc.strerror}")
try:
    print("ESCAPED: /root lists", os.listdir("/root"))
    escaped.append("/root")
except OSError as exc:
    print(f"/root blocked: {exc.strerror}")
for path in escaped:
    print(f"ESCAPED: read {path}")
print("ESCAPED" if escaped else "blocked")
raise SystemExit(1 if escaped else 0)
