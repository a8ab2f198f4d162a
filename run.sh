#!/usr/bin/env bash
# Runs the local cluster: Redis from redis/ and two hub instances on http://127.0.0.1:5000 and :5001.
# Without redis-server (and no way to install it) it runs one instance in embedded mode instead, and says so.
# ./run.sh --metrics also starts Debian's prometheus on http://127.0.0.1:9090, scraping the instances' /metrics.
# Ctrl+C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/ensure-packages.sh

metrics=false
for arg in "$@"; do
  case "$arg" in
    --metrics) metrics=true ;;
    *) echo "usage: ./run.sh [--metrics]" >&2; exit 2 ;;
  esac
done
PROMETHEUS_PORT="${PROMETHEUS_PORT:-9090}"

REDIS_PORT="${REDIS_PORT:-6379}"
pids=()
cleanup() {
  # Instances first (they leave the Orleans cluster while Redis is still up), Redis last.
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null || true; wait "${pids[i]}" 2>/dev/null || true; done
  echo "Stopped."
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_commands "redis-server:redis-server" "node:nodejs" "npm:npm" || true
web=()
has_command npm || {
  echo "npm is not installed and cannot be installed here: building without the web page (the console client still works)." >&2
  web=(-p:SkipWebClient=true)
}
echo "Building..."
dotnet build src/Hub -c Release -v quiet -nologo "${web[@]}" >/dev/null
# The console client's Debug build, so the `dotnet run` commands printed below start at once.
dotnet build src/Client.Console -v quiet -nologo >/dev/null
hub=(dotnet src/Hub/bin/Release/net10.0/SignalRChat.Hub.dll --environment Development --contentRoot "$PWD/src/Hub")

# The local cluster's own secrets, made on the first run and kept in .local/ (never committed): the token signing key,
# the cluster secret and the Redis passwords. Given to the processes through the environment and files, not arguments.
random_secret() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
mkdir -p .local
if [ ! -s .local/secrets.env ]; then
  (umask 077; printf 'SIGNING_KEY=%s\nCLUSTER_SECRET=%s\nREDIS_PASSWORD=%s\nREDIS_ADMIN_PASSWORD=%s\n' \
    "$(random_secret)" "$(random_secret)" "$(random_secret)" "$(random_secret)" > .local/secrets.env)
fi
. .local/secrets.env
export Auth__SigningKey="$SIGNING_KEY" Cluster__Secret="$CLUSTER_SECRET"

wait_healthy() {
  for _ in $(seq 1 120); do
    curl -fs "$1/healthz" >/dev/null 2>&1 && return 0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "A process of the cluster exited; see the log above." >&2; exit 1; }; done
    sleep 0.5
  done
  echo "$1 did not become healthy; see the log above." >&2
  exit 1
}

if has_command redis-server; then
  mkdir -p .local/redis
  # Two Redis users: "default" for the operator (redis-cli --pass from .local/secrets.env), "signalrchat" for the
  # instances, without administrative commands (redis/app-user.acl).
  (umask 077; { echo "user default on >$REDIS_ADMIN_PASSWORD ~* &* +@all"; echo "user signalrchat on >$REDIS_PASSWORD $(cat redis/app-user.acl)"; } > .local/redis/users.acl)
  # Its own session: Ctrl+C reaches the instances, and Redis stays up until they have left the cluster.
  setsid "$(command_path redis-server)" redis/redis.conf --port "$REDIS_PORT" --dir "$PWD/.local/redis" --aclfile "$PWD/.local/redis/users.acl" &
  pids+=($!)
  for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null && break; sleep 0.1; done
  for i in 0 1; do
    ConnectionStrings__Redis="127.0.0.1:$REDIS_PORT,user=signalrchat,password=$REDIS_PASSWORD" \
      "${hub[@]}" --urls "http://127.0.0.1:500$i" --Cluster:SiloPort="1111$((i + 1))" --Cluster:GatewayPort="3000$i" &
    pids+=($!)
  done
  urls=(http://127.0.0.1:5000 http://127.0.0.1:5001)
else
  echo "redis-server is not installed and cannot be installed here: running ONE instance in embedded mode (no Redis, in-memory state)." >&2
  "${hub[@]}" --urls http://127.0.0.1:5000 &
  pids+=($!)
  urls=(http://127.0.0.1:5000)
fi

for url in "${urls[@]}"; do wait_healthy "$url"; done
last=${urls[${#urls[@]}-1]}

if $metrics; then
  if ensure_commands "prometheus:prometheus"; then
    mkdir -p .local/prometheus
    targets=$(printf "'%s', " "${urls[@]#http://}")
    cat > .local/prometheus/prometheus.yml <<YML
global:
  scrape_interval: 5s
scrape_configs:
  - job_name: signalrchat
    metrics_path: /metrics
    static_configs:
      - targets: [${targets%, }]
YML
    setsid "$(command_path prometheus)" --config.file="$PWD/.local/prometheus/prometheus.yml" --storage.tsdb.path="$PWD/.local/prometheus/data" \
      --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" --log.level=warn &
    pids+=($!)
    prometheus_url="http://127.0.0.1:$PROMETHEUS_PORT"
  else
    echo "prometheus is not installed and cannot be installed here: running without it (each instance still serves /metrics)." >&2
  fi
fi
echo
echo "SignalRChat is running:"
for url in "${urls[@]}"; do
  echo "  hub instance  $url   (hub $url/hub, cluster page $url/cluster, metrics $url/metrics, health $url/healthz/ready)"
done
if [ -n "${prometheus_url:-}" ]; then
  echo "  prometheus:   $prometheus_url   (try signalrchat_hub_connections, or rate(signalrchat_push_delivered_total[1m]))"
fi
if [ ${#web[@]} -eq 0 ]; then
  echo "  web client:   open ${urls[*]} in a browser (one tab per instance), log in with any name, join a room"
fi
cat <<MSG
  console client, in another terminal (type /join general, then chat; /help lists the commands):
    dotnet run --project src/Client.Console -- --server ${urls[0]} --user alice
    dotnet run --project src/Client.Console -- --server $last --user bob --protocol messagepack
  development login: curl -s -XPOST -H 'content-type: application/json' -d '{"user":"alice"}' ${urls[0]}/auth/token

Press Ctrl+C to stop.
MSG
wait -n "${pids[@]}"
