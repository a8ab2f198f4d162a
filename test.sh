#!/usr/bin/env bash
# Runs every test. Installs what the tests need when it is missing (redis-server), then builds and runs the suite.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/ensure-redis.sh

ensure_redis || { echo "redis-server is missing and could not be installed (needs root or passwordless sudo, and apt-get)." >&2; exit 1; }
export PATH="$(dirname "$(redis_server_path)"):$PATH"

log=$(mktemp)
status=0
dotnet test SignalRChat.sln -c Release -nologo 2>&1 | tee "$log" || status=$?
# One plain summary line, whatever the runner printed.
summary=$(grep -Eo 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" | tail -n 1 || true)
if [ -n "$summary" ]; then
  read -r failed passed skipped <<<"$(echo "$summary" | grep -Eo '[0-9]+' | tr '\n' ' ')"
  echo "tests: $passed passed, $failed failed, $skipped skipped"
fi
rm -f "$log"
exit "$status"
