#!/usr/bin/env bash
# The README's test command: install what is needed, then build, typecheck, check the
# generated spec, and run every test. Ends with one plain "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# The compute tests need libvirtd (no systemd here); stopped again on exit, whatever happens.
trap 'rm -f "$log"; bash scripts/libvirt.sh stop' EXIT
bash scripts/libvirt.sh start
set +e
npm test 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# tap's summary looks like: # { total: 71, pass: 70, fail: 1 }
summary=$(grep -E '^# \{ total: [0-9]+' "$log" | tail -n 1 || true)
pass=$(sed -nE 's/.*pass: ([0-9]+).*/\1/p' <<<"$summary")
fail=$(sed -nE 's/.*fail: ([0-9]+).*/\1/p' <<<"$summary")
skip=$(sed -nE 's/.*skip: ([0-9]+).*/\1/p' <<<"$summary")
if [ -z "$pass" ] || [ "$pass" -eq 0 ]; then
  echo "tests: no test ran" >&2
  exit 1
fi
echo "tests: ${pass} passed, ${fail:-0} failed, ${skip:-0} skipped"
if [ -n "$skip" ] && [ "$skip" -gt 0 ]; then
  echo "tests: skipped tests are not allowed to count as passing" >&2
  exit 1
fi
exit "$status"
