# Sourced by run.sh and test.sh. Installs Debian packages for commands that are missing, when we may (root or
# passwordless sudo, and apt-get): one apt-get update, one install.

# has_command NAME: the command is on PATH or in /usr/bin (not always on a root PATH).
has_command() {
  command -v "$1" >/dev/null 2>&1 || [ -x "/usr/bin/$1" ]
}

# command_path NAME: where the command is.
command_path() {
  command -v "$1" 2>/dev/null || { [ -x "/usr/bin/$1" ] && echo "/usr/bin/$1"; } || true
}

# ensure_commands COMMAND:PACKAGES... (for example "npm:nodejs npm"). Succeeds when every command is there afterwards.
ensure_commands() {
  local spec pkgs missing=()
  for spec in "$@"; do
    if ! has_command "${spec%%:*}"; then
      read -r -a pkgs <<<"${spec#*:}"
      missing+=("${pkgs[@]}")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && sudo="sudo -n" || return 1
  fi
  command -v apt-get >/dev/null 2>&1 || return 1
  echo "Installing ${missing[*]} (apt-get)..." >&2
  $sudo apt-get update -qq >&2 && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2 || return 1
  for spec in "$@"; do has_command "${spec%%:*}" || return 1; done
}
