# Sourced by run.sh and test.sh: puts redis-server on PATH, installing Debian's package when it is missing and we may.
redis_server_path() {
  command -v redis-server 2>/dev/null || { [ -x /usr/bin/redis-server ] && echo /usr/bin/redis-server; } || true
}

ensure_redis() {
  [ -n "$(redis_server_path)" ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && sudo="sudo -n" || return 1
  fi
  command -v apt-get >/dev/null 2>&1 || return 1
  echo "Installing redis-server (apt-get)..." >&2
  $sudo apt-get update -qq >&2 && $sudo apt-get install -y -qq redis-server >&2 || return 1
  [ -n "$(redis_server_path)" ]
}
