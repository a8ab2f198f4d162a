#!/usr/bin/env bash
# Runs every test. Installs what the tests need when it is missing (redis-server, Node.js and npm, chromium; the npm
# packages install during the build), then builds and runs the suite.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/ensure-packages.sh

needs=("redis-server:redis-server" "node:nodejs" "npm:npm")
[ -n "${CHROMIUM_PATH:-}" ] || needs+=("chromium:chromium")
ensure_commands "${needs[@]}" || {
  echo "Missing and not installable here (needs root or passwordless sudo, and apt-get): ${needs[*]%%:*}" >&2
  exit 1
}
export PATH="$(dirname "$(command_path redis-server)"):$PATH"

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
