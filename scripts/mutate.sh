#!/usr/bin/env bash
# Mutation testing of the judging core with mutmut (configured in pyproject.toml [tool.mutmut]).
# A benchmark-like figure, not part of `make test`: it breaks the code on purpose and counts how often
# the unit and fake-engine pipeline tests notice. Known equivalent survivors: docs/mutation.md.
#   OJ_MUTATE_MODULES  modules to run, one at a time (default: the judging core below)
#   OJ_MUTATE_JOBS     mutants tested in parallel (default 1: the machine is shared)
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_venv test
export DJANGO_SETTINGS_MODULE=judge.settings
export SECRET_KEY=${SECRET_KEY:-test-only-secret-key-not-for-production}
export DEBUG=false
MODULES=${OJ_MUTATE_MODULES:-"sandbox.outcomes sandbox.checkers sandbox.protocol judge.submissions.scoring judge.contests.scoreboard judge.judging.services"}
MUTMUT="$VENV/bin/mutmut"

# Start from a fresh copy: mutmut reuses mutants/ and its cached results otherwise.
rm -rf "$ROOT/mutants" && mkdir -p "$ROOT/mutants"
for module in $MODULES; do
    say "mutmut: $module"
    "$MUTMUT" run --max-children "${OJ_MUTATE_JOBS:-1}" "$module.*" >"$ROOT/mutants/run-$module.log" 2>&1 \
        || { tail -40 "$ROOT/mutants/run-$module.log"; exit 1; }
done

say "score per module: killed (a timeout counts, as in mutmut) / mutants; 'no tests' counts as survived"
"$MUTMUT" results --all true >"$ROOT/mutants/results.txt"
"$PY" - "$ROOT/mutants/results.txt" $MODULES <<'PY'
import sys
from collections import Counter

path, modules = sys.argv[1], sys.argv[2:]
rows = [line.strip().rsplit(": ", 1) for line in open(path) if ": " in line]
left, timeouts = [], []
for module in modules:
    mine = [(name, status) for name, status in rows if name.startswith(module + ".")]
    counts = Counter(status for _, status in mine)
    tested = len(mine) - counts["skipped"]
    killed = counts["killed"] + counts["timeout"]
    score = 100 * killed / tested if tested else 0.0
    print(f"{module:30} {killed:4} / {tested:<4} {score:5.1f} %  {dict(sorted(counts.items()))}")
    left += [name for name, status in mine if status not in ("killed", "timeout", "skipped")]
    timeouts += [name for name, status in mine if status == "timeout"]
if timeouts:
    print("\ntimed out (counted as killed; a loaded machine can cause these, rerun: mutmut run NAME):")
    print("\n".join(timeouts))
print("\nnot killed (equivalent ones are listed in docs/mutation.md):" if left else "\nevery mutant killed")
print("\n".join(left))
open(path + ".left", "w").write("".join(name + "\n" for name in left))
PY
while read -r name; do
    [ -n "$name" ] && "$MUTMUT" show "$name"
done <"$ROOT/mutants/results.txt.left"
