#!/usr/bin/env bash
# A Switchboard cluster on loopback, for a local try: redis-server, three chat-server nodes joined
# on it by the Redis adapter (REDIS_URL, ADAPTER) and HAProxy in front of them with sticky sessions
# (deploy/haproxy.cfg). A chat message sent on one node reaches the room's members on the others.
# Logs, and the nodes' shared data directory (users, JWT key), go to a fresh temporary directory;
# Ctrl-C stops everything this script started. See README.md, "Running several nodes".
#
#   mvn -q -B package -DskipTests     # builds target/switchboard.jar
#   deploy/cluster.sh                 # then open http://127.0.0.1:3000/ in two browsers
#
# Settings (environment):
#   PROXY_PORT   where clients connect (HAProxy)                    3000
#   NODE_PORTS   the three nodes' ports, e.g. "3001 3002 3003"      free ports
#   REDIS_PORT   redis-server's port                                a free port
#   ADAPTER      redis | redis-sharded | redis-streams              redis
#   RUN_DIR      logs (redis.log, node1.log …, haproxy.log)         a new temporary directory
#   DATA_DIR     the nodes' shared users and JWT key                $RUN_DIR/data
#   JAR          the server                                         target/switchboard.jar
#   JAVA_OPTS    for each node's JVM                                -Xmx256m
#   NODE_CMD     the command that starts a node, split on spaces    java $JAVA_OPTS -jar $JAR
#                (e.g. "java -cp target/classes:… dev.switchboard.cli.Main", as the tests do)
#
# Requires java (17+), redis-server (7+) and haproxy on the PATH:
#   apt-get install -y openjdk-17-jdk-headless redis-server haproxy
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p;}' "${BASH_SOURCE[0]}"
}

case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  "") ;;
  *) echo "cluster.sh: no arguments (settings are environment variables); see --help" >&2; exit 2 ;;
esac

PROXY_PORT=${PROXY_PORT:-3000}
NODE_PORTS=${NODE_PORTS:-}
REDIS_PORT=${REDIS_PORT:-}
ADAPTER=${ADAPTER:-redis}
JAR=${JAR:-$root/target/switchboard.jar}
read -r -a java_opts <<<"${JAVA_OPTS:--Xmx256m}"
if [[ -n ${NODE_CMD:-} ]]; then
  read -r -a node_cmd <<<"$NODE_CMD"
else
  node_cmd=(java "${java_opts[@]}" -jar "$JAR")
fi
read -r -a wanted_ports <<<"$NODE_PORTS"

die() {
  echo "cluster.sh: $*" >&2
  exit 1
}

for cmd in java redis-server haproxy; do
  command -v "$cmd" >/dev/null 2>&1 || die "$cmd is not on the PATH (apt-get install -y openjdk-17-jdk-headless redis-server haproxy)"
done
[[ -n ${NODE_CMD:-} || -f $JAR ]] || die "$JAR does not exist: build it with \`mvn -q -B package -DskipTests\`"
case "$ADAPTER" in
  redis|redis-sharded|redis-streams) ;;
  *) die "ADAPTER must be redis, redis-sharded or redis-streams, not '$ADAPTER'" ;;
esac
[[ ${#wanted_ports[@]} -eq 0 || ${#wanted_ports[@]} -eq 3 ]] || die "NODE_PORTS must name three ports, not '$NODE_PORTS'"

made_run_dir=false
if [[ -z ${RUN_DIR:-} ]]; then
  RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/switchboard-cluster.XXXXXX")
  made_run_dir=true
fi
DATA_DIR=${DATA_DIR:-$RUN_DIR/data}
mkdir -p "$RUN_DIR" "$DATA_DIR"

# ---------------------------------------------------------------- processes we started

pids=()
names=()
logs=()

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  trap - EXIT INT TERM
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ ${#pids[@]} -gt 0 ]]; then
    echo "cluster.sh: stopped; logs are in $RUN_DIR"
  elif $made_run_dir; then
    rm -rf "$RUN_DIR" # nothing ran: nothing to keep
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start NAME LOGFILE COMMAND... — in the background; without job control it ignores Ctrl-C, and
# cleanup stops it with SIGTERM.
start() {
  local name=$1 log=$2
  shift 2
  "$@" >"$log" 2>&1 &
  pids+=("$!")
  names+=("$name")
  logs+=("$log")
}

# fail_with NAME LOGFILE WHY — the last lines of the log, then stop everything.
fail_with() {
  echo "cluster.sh: $1 $3; the end of $2:" >&2
  tail -n 20 "$2" >&2 || true
  exit 1
}

# ---------------------------------------------------------------- ports

# Whether something accepts connections on 127.0.0.1:$1 (bash's /dev/tcp, no other tool needed).
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A port nothing listens on right now (another process could still take it first: each start
# below is checked). Taken below the kernel's ephemeral range (ip_local_port_range), where no
# outgoing connection's local port can hold it: a port that only checks as not listening could be
# the source port of some connection, and binding it would fail.
free_port() {
  local p _ lo=32768 hi
  read -r lo hi < /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
  [[ $lo -gt 12000 ]] || lo=60000   # an unusual range: fall back to the top of the port space
  for _ in $(seq 100); do
    p=$((10000 + RANDOM % (lo - 10000)))
    port_in_use "$p" || { echo "$p"; return 0; }
  done
  die "found no free port"
}

# wait_until SECONDS NAME LOGFILE PID COMMAND... — polls COMMAND every 0.2 s; fails when the
# process dies or the time is up.
wait_until() {
  local seconds=$1 name=$2 log=$3 pid=$4
  shift 4
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    kill -0 "$pid" 2>/dev/null || fail_with "$name" "$log" "exited"
    ((SECONDS < deadline)) || fail_with "$name" "$log" "was not ready within ${seconds} s"
    sleep 0.2
  done
}

# shellcheck disable=SC2317 # run by wait_until
redis_answers() {
  local reply=""
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'PING\r\n' >&3
  IFS= read -r -t 2 reply <&3 || true
  exec 3<&- 3>&-
  [[ $reply == +PONG* ]]
}

# The port a node printed ("<time> INFO  ChatServer: listening on http://127.0.0.1:PORT/"), empty until then.
printed_port() {
  sed -n 's|^[^ ]* INFO  ChatServer: listening on [a-z]*://[^ ]*:\([0-9][0-9]*\)/.*$|\1|p' "$1" | head -n 1
}

# shellcheck disable=SC2317 # run by wait_until
node_listening() {
  [[ -n $(printed_port "$1") ]]
}

port_in_use "$PROXY_PORT" && die "port $PROXY_PORT is in use: set PROXY_PORT to a free one"

# ---------------------------------------------------------------- redis-server

REDIS_PORT=${REDIS_PORT:-$(free_port)}
mkdir -p "$RUN_DIR/redis"
start redis "$RUN_DIR/redis.log" redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" \
  --appendonly no --dir "$RUN_DIR/redis" --daemonize no
wait_until 15 redis-server "$RUN_DIR/redis.log" "${pids[-1]}" redis_answers "$REDIS_PORT"
redis_url="redis://127.0.0.1:$REDIS_PORT"

# ---------------------------------------------------------------- three nodes

node_addresses=()
for i in 1 2 3; do
  log="$RUN_DIR/node$i.log"
  start "node$i" "$log" env REDIS_URL="$redis_url" ADAPTER="$ADAPTER" DATA_DIR="$DATA_DIR" \
    "${node_cmd[@]}" --host 127.0.0.1 --port "${wanted_ports[$((i - 1))]:-0}"
done
for i in 1 2 3; do
  log="$RUN_DIR/node$i.log"
  wait_until 60 "node$i" "$log" "${pids[$i]}" node_listening "$log"
  node_addresses+=("127.0.0.1:$(printed_port "$log")")
done

# ---------------------------------------------------------------- HAProxy

start haproxy "$RUN_DIR/haproxy.log" env SWITCHBOARD_BIND="127.0.0.1:$PROXY_PORT" \
  SWITCHBOARD_NODE1="${node_addresses[0]}" SWITCHBOARD_NODE2="${node_addresses[1]}" \
  SWITCHBOARD_NODE3="${node_addresses[2]}" haproxy -f "$here/haproxy.cfg" -db
wait_until 15 haproxy "$RUN_DIR/haproxy.log" "${pids[-1]}" port_in_use "$PROXY_PORT"

cat <<EOF
Switchboard cluster on loopback ($ADAPTER adapter), logs in $RUN_DIR:
  http://127.0.0.1:$PROXY_PORT/   HAProxy, sticky by the SERVERID cookie
  node1 ${node_addresses[0]}, node2 ${node_addresses[1]}, node3 ${node_addresses[2]}
  $redis_url
Open http://127.0.0.1:$PROXY_PORT/ in two browsers (each keeps to the node its cookie names);
\`curl -si http://127.0.0.1:$PROXY_PORT/healthz\` shows the Set-Cookie. Ctrl-C stops everything.
EOF

# Until Ctrl-C, or until one of them dies (then the others are stopped too).
set +e
wait -n "${pids[@]}"
for i in "${!pids[@]}"; do
  kill -0 "${pids[$i]}" 2>/dev/null || fail_with "${names[$i]}" "${logs[$i]}" "exited"
done
exit 1
