import os

# Print everything the box was started with: our own environment and PID 1's.
for key, value in sorted(os.environ.items()):
    print(f"env {key}={value}")
try:
    with open("/proc/1/environ", "rb") as file:
        for entry in file.read().split(b"\0"):
            print("init env", entry.decode(errors="replace"))
except OSError as exc:
    print(f"/proc/1/environ blocked: {exc.strerror}")
print("cwd", os.getcwd())
print("done")
