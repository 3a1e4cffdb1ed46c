"""Writes of the judge app, by subdomain: submissions (create, rejudge), queue (fair claiming),
judging (compile, run, check, verdict), quotas (limits and usage), sweeper (stuck submissions)."""
