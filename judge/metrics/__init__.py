"""Prometheus telemetry: counters and histograms the judging code feeds (`hooks`), gauges read from the
database at scrape time (`collectors`), and the protected /metrics view (`views`)."""
