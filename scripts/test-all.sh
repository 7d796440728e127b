#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run): system packages, npm deps, lint, typecheck,
# generated-file checks, unit tests, then integration and browser tests inside a private
# network namespace (so ICMP faults with iptables touch nothing outside).
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/sbin:/usr/sbin:/sbin:$PATH"
set -e
bash scripts/install-system-deps.sh
if [ ! -d node_modules ] || [ "${CI:-}" = "true" ]; then npm ci --no-audit --no-fund; fi
# The prebuilt JavaScript the tests' `pantau` processes run, as users do (npm ci builds it too; ADR 0011).
npm run build
npm run lint
npm run typecheck
node bin/pantau.mjs schema --check
set +e

passed=0; failed=0; status=0
run_suite() { # name, command...
  local name=$1; shift
  local log; log=$(mktemp)
  echo "== $name"
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local p f
  p=$(grep -Eo '^ *[0-9]+ passing' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
  f=$(grep -Eo '^ *[0-9]+ failing' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  if [ "$rc" -ne 0 ]; then status=1; [ "${f:-0}" -eq 0 ] && failed=$((failed + 1)); fi
  rm -f "$log"
}

run_suite unit npx mocha 'test/unit/**/*.test.ts'
if [ "$(id -u)" -eq 0 ]; then
  # unshare -n: a fresh network namespace with only loopback; nothing leaves this machine.
  run_suite integration unshare -n bash -c 'ip link set lo up && npx mocha --timeout 180000 "test/integration/**/*.test.ts"'
else
  echo "integration tests need root (network namespace, iptables, ports < 1024)"; status=1; failed=$((failed + 1))
fi
echo "tests: $passed passed, $failed failed"
exit $status
