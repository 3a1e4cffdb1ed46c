"""Writes for problems, one module per subdomain: authoring (settings), testdata, testfiles, packages."""
