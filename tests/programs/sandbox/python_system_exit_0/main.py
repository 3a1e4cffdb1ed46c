print("leaving early")
raise SystemExit(0)
