# shellcheck shell=bash disable=SC2034 # the variables below are used by the scripts that source this file
# Shared helpers for scripts/services/*.sh (sourced, not executed).
# Everything binds to 127.0.0.1. State lives in $FSTORE_SERVICES_DIR (default ~/.cache/fstore-services).

SERVICES_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="${FSTORE_SERVICES_DIR:-$HOME/.cache/fstore-services}"
CACHE="$STATE/cache"

ALL_SERVICES=(redis redis-cluster postgres mongo kafka)

REDIS_PORT=6379
# The local Redis Cluster: three masters on this port and the next two (cluster bus: port + 10000).
REDIS_CLUSTER_PORT="${FSTORE_REDIS_CLUSTER_PORT:-7001}"
PG_PORT=5432
MONGO_PORT=27017
KAFKA_PORT=9092
KAFKA_CONTROLLER_PORT=9093

FERRETDB_VERSION="${FSTORE_FERRETDB_VERSION:-v1.24.2}"
KAFKA_VERSION="${FSTORE_KAFKA_VERSION:-4.1.1}"
LOG4J_VERSION="2.24.3" # the version Kafka 4.1 itself ships; Kafka 4.1 uses slf4j-api 1.7.x
KAFKA_HEAP_OPTS="${FSTORE_KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"

log() { printf '[services] %s\n' "$*" >&2; }
die() {
  printf '[services] ERROR: %s\n' "$*" >&2
  exit 1
}

now() { date +%s.%N; }
elapsed() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1fs", e - s }'; }

# parse_services "$@" -> sets SERVICES array (default: all), validates names
parse_services() {
  SERVICES=()
  local s
  for s in "$@"; do
    case "$s" in
      redis | redis-cluster | postgres | mongo | kafka) SERVICES+=("$s") ;;
      ferretdb) SERVICES+=(mongo) ;;
      pg | postgresql) SERVICES+=(postgres) ;;
      *) die "unknown service '$s' (expected: redis redis-cluster postgres mongo kafka)" ;;
    esac
  done
  if [ ${#SERVICES[@]} -eq 0 ]; then SERVICES=("${ALL_SERVICES[@]}"); fi
}

port_of() {
  case "$1" in
    redis) echo "$REDIS_PORT" ;;
    redis-cluster) echo "$REDIS_CLUSTER_PORT" ;;
    postgres) echo "$PG_PORT" ;;
    mongo) echo "$MONGO_PORT" ;;
    kafka) echo "$KAFKA_PORT" ;;
  esac
}

# port_open PORT: something accepts TCP connections on 127.0.0.1:PORT
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# pid_alive PIDFILE PATTERN: the pid in PIDFILE is running and its command line contains PATTERN
pid_alive() {
  local pidfile="$1" pattern="$2" pid
  [ -s "$pidfile" ] || return 1
  pid="$(cat "$pidfile" 2>/dev/null)" || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  local cmdline
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *"$pattern"* ]]
}

# proc_gone PID: the process no longer exists or is a zombie waiting to be reaped
proc_gone() {
  local st
  [ -e "/proc/$1" ] || return 0
  st="$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" || return 0
  [ -z "$st" ] || [ "$st" = Z ] || [ "$st" = X ]
}

# wait_pid_exit PID SECONDS: wait for a process to go away; returns 1 on timeout
wait_pid_exit() {
  local pid="$1" limit="$2" i
  for ((i = 0; i < limit * 5; i++)); do
    proc_gone "$pid" && return 0
    sleep 0.2
  done
  return 1
}

# stop_pidfile NAME PIDFILE PATTERN SECONDS: SIGTERM, wait, SIGKILL as a last resort
stop_pidfile() {
  local name="$1" pidfile="$2" pattern="$3" limit="$4" pid
  if ! pid_alive "$pidfile" "$pattern"; then
    rm -f "$pidfile"
    return 1
  fi
  pid="$(cat "$pidfile")"
  log "$name: stopping (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_pid_exit "$pid" "$limit"; then
    log "$name: did not stop within ${limit}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_pid_exit "$pid" 10 || true
  fi
  rm -f "$pidfile"
  return 0
}

# log_tail FILE: last lines of a log, for error messages
log_tail() {
  local f="$1"
  if [ -f "$f" ]; then
    printf -- '--- last 40 lines of %s ---\n' "$f"
    tail -n 40 "$f"
    printf -- '--- end of %s ---\n' "$f"
  else
    printf '(no log at %s)\n' "$f"
  fi
}

# wait_ready NAME SECONDS LOGFILE PIDFILE_OR_EMPTY PATTERN CHECK_CMD...
# Polls CHECK_CMD until it succeeds; fails early if the process died.
wait_ready() {
  local name="$1" limit="$2" logfile="$3" pidfile="$4" pattern="$5" start i
  shift 5
  start="$(now)"
  for ((i = 0; i < limit * 4; i++)); do
    if "$@" >/dev/null 2>&1; then
      log "$name: ready after $(elapsed "$start")"
      return 0
    fi
    # a pid file that exists but no longer names a live process: the service died during start-up
    if [ -n "$pidfile" ] && [ -s "$pidfile" ] && ! pid_alive "$pidfile" "$pattern"; then
      sleep 0.5
      "$@" >/dev/null 2>&1 && return 0
      log_tail "$logfile" >&2
      die "$name: process exited before it became ready (log: $logfile)"
    fi
    sleep 0.25
  done
  log_tail "$logfile" >&2
  die "$name: not ready after ${limit}s (log: $logfile)"
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

# apt_install PKG...: install Debian packages; runs apt-get update only if the first try fails
apt_install() {
  command -v apt-get >/dev/null || die "apt-get not found; install $* by hand"
  local aptlog="$STATE/apt.log"
  mkdir -p "$STATE"
  log "apt-get install $* (log: $aptlog)"
  local opts=(-y -q -o DPkg::Lock::Timeout=900 --no-install-recommends)
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install "${opts[@]}" "$@" >>"$aptlog" 2>&1; then
    log "apt-get install failed; running apt-get update and retrying"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q -o DPkg::Lock::Timeout=900 >>"$aptlog" 2>&1 ||
      { log_tail "$aptlog" >&2; die "apt-get update failed"; }
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install "${opts[@]}" "$@" >>"$aptlog" 2>&1 ||
      { log_tail "$aptlog" >&2; die "apt-get install $* failed"; }
  fi
}

# ---------------------------------------------------------------- redis
REDIS_DIR="$STATE/redis"
REDIS_LOG="$REDIS_DIR/redis.log"
REDIS_PID="$REDIS_DIR/redis.pid"

redis_ready() {
  [ "$(timeout 3 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]
}
redis_version() {
  timeout 3 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" info server 2>/dev/null | tr -d '\r' | sed -n 's/^redis_version://p'
}

# ---------------------------------------------------------------- redis-cluster
# Three masters (no replicas) on loopback, one folder each: $REDIS_CLUSTER_DIR/<port>/{nodes.conf,redis.log,redis.pid}.
REDIS_CLUSTER_DIR="$STATE/redis-cluster"
[[ "$REDIS_CLUSTER_PORT" =~ ^[0-9]+$ ]] && [ "$REDIS_CLUSTER_PORT" -ge 1 ] && [ "$REDIS_CLUSTER_PORT" -le 55533 ] ||
  die "FSTORE_REDIS_CLUSTER_PORT must be a port number up to 55533 (the nodes take it and the next two, their cluster bus port + 10000)"
REDIS_CLUSTER_PORTS=("$REDIS_CLUSTER_PORT" "$((REDIS_CLUSTER_PORT + 1))" "$((REDIS_CLUSTER_PORT + 2))")

redis_cluster_pidfile() { echo "$REDIS_CLUSTER_DIR/$1/redis.pid"; }
redis_cluster_logfile() { echo "$REDIS_CLUSTER_DIR/$1/redis.log"; }
redis_cluster_url() {
  local p hosts=()
  for p in "${REDIS_CLUSTER_PORTS[@]}"; do hosts+=("127.0.0.1:$p"); done
  local IFS=,
  echo "redis+cluster://${hosts[*]}"
}
# redis_cluster_info PORT: CLUSTER INFO of one node, without carriage returns
redis_cluster_info() { timeout 3 redis-cli -h 127.0.0.1 -p "$1" cluster info 2>/dev/null | tr -d '\r'; }
redis_node_ready() { [ "$(timeout 3 redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = "PONG" ]; }
# every node answers, sees the three masters and all 16384 slots served
redis_cluster_ready() {
  local p info
  command -v redis-cli >/dev/null || return 1
  for p in "${REDIS_CLUSTER_PORTS[@]}"; do
    info="$(redis_cluster_info "$p")" || return 1
    [[ "$info" == *"cluster_state:ok"* && "$info" == *"cluster_slots_ok:16384"* && "$info" == *"cluster_known_nodes:3"$'\n'* ]] || return 1
  done
}
redis_cluster_nodes_ready() {
  local p
  for p in "${REDIS_CLUSTER_PORTS[@]}"; do redis_node_ready "$p" || return 1; done
}

# ---------------------------------------------------------------- postgres
PG_DIR="$STATE/postgres"
PG_DATA="$PG_DIR/data"
PG_SOCK="$PG_DIR/run"
PG_LOG="$PG_DIR/postgres.log"
PG_URL="postgres://fstore:fstore@127.0.0.1:$PG_PORT/fstore"

pg_bindir() {
  local d
  d="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}
# run a command as the OS user owning the cluster (postgres when we are root)
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
pg_ready() {
  command -v pg_isready >/dev/null || return 1
  pg_isready -q -h 127.0.0.1 -p "$PG_PORT" -t 2
}
pg_app_ok() {
  [ "$(PGCONNECT_TIMEOUT=3 psql "$PG_URL" -Atqc 'select 1' 2>/dev/null)" = 1 ]
}
# our cluster's postmaster is alive: postmaster.pid names a live process that is a postgres server
# (a pid file left by a killed server may name a recycled pid; pg_ctl status alone would trust it)
pg_ours_running() {
  local pid cmdline
  [ -f "$PG_DATA/postmaster.pid" ] || return 1
  pid="$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null)" || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *postgres* && "$cmdline" == *"$PG_DATA"* ]]
}
pg_version() {
  PGCONNECT_TIMEOUT=3 psql "$PG_URL" -Atqc 'show server_version' 2>/dev/null | awk '{print $1}'
}

# ---------------------------------------------------------------- mongo (FerretDB)
MONGO_DIR="$STATE/ferretdb"
MONGO_LOG="$MONGO_DIR/ferretdb.log"
MONGO_PID="$MONGO_DIR/ferretdb.pid"
FERRETDB_BIN="$CACHE/ferretdb-$FERRETDB_VERSION/ferretdb"

mongo_ready() { python3 "$SERVICES_LIB_DIR/probe.py" mongo-ping "$MONGO_PORT"; }
mongo_version() { python3 "$SERVICES_LIB_DIR/probe.py" mongo-version "$MONGO_PORT" 2>/dev/null; }

# ---------------------------------------------------------------- kafka
KAFKA_DIR="$STATE/kafka"
KAFKA_DATA="$KAFKA_DIR/data"
KAFKA_LOG="$KAFKA_DIR/kafka.log"
KAFKA_PID="$KAFKA_DIR/kafka.pid"
KAFKA_LIBS="$CACHE/kafka-$KAFKA_VERSION/libs"

kafka_ready() { python3 "$SERVICES_LIB_DIR/probe.py" kafka-ready "$KAFKA_PORT"; }
kafka_version() {
  # the version of the jars the running broker uses (recorded at start), else the configured one
  if [ -s "$KAFKA_DIR/version" ] && pid_alive "$KAFKA_PID" kafka.Kafka; then cat "$KAFKA_DIR/version"; else echo "?"; fi
}
