"""The signed execution log: every compile, every test run and every staff action, one record each,
hash-chained and signed (Ed25519), append-only, kept in the database. See the README."""
