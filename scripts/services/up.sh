#!/usr/bin/env bash
# Install (if missing) and start FStore's backing services on 127.0.0.1, then wait until they answer.
#   bash scripts/services/up.sh [redis|redis-cluster|postgres|mongo|kafka ...]   (default: all five)
# Idempotent: a service that already answers on its port is left alone. Progress goes to stderr.
set -euo pipefail
# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

parse_services "$@"
T0="$(now)"
mkdir -p "$STATE" "$CACHE"
# fd 9 holds the lock; every long-lived child is started with 9>&- so it does not inherit it
exec 9>"$STATE/.lock"
flock -w 900 9 || die "another up.sh/down.sh holds $STATE/.lock"

# ------------------------------------------------------------------ installs
redis_install() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return 0
  apt_install redis-server
}

pg_install() {
  pg_bindir >/dev/null && command -v psql >/dev/null && return 0
  apt_install postgresql
  pg_bindir >/dev/null || die "postgres: initdb not found under /usr/lib/postgresql/*/bin after install"
}

go_bin() {
  if command -v go >/dev/null; then
    command -v go
  elif [ -x /usr/local/go/bin/go ]; then
    echo /usr/local/go/bin/go
  else
    return 1
  fi
}

# FerretDB v1: a plain `go install` binary panics at start-up because build/version/version.txt is
# not part of the module zip. So copy the module source out of the Go module cache, write
# version.txt and build ./cmd/ferretdb from the copy (full CLI, `--version` reports the real version).
mongo_install() {
  [ -x "$FERRETDB_BIN" ] && return 0
  local go buildlog work dir start
  go="$(go_bin)" || die "mongo: Go (>= 1.24) is needed to build FerretDB $FERRETDB_VERSION; none found on PATH or in /usr/local/go"
  buildlog="$CACHE/ferretdb-build.log"
  work="$(mktemp -d "$CACHE/ferretdb-build.XXXXXX")"
  start="$(now)"
  log "mongo: building FerretDB $FERRETDB_VERSION with $("$go" version | awk '{print $3}') (one-off, ~2-3 min; log: $buildlog)"
  if ! (
    set -euo pipefail
    cd "$work"
    dir="$("$go" mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" |
      python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')"
    cp -r "$dir" src
    chmod -R u+w src
    echo "$FERRETDB_VERSION" >src/build/version/version.txt
    cd src
    GOFLAGS="${GOFLAGS:-} -buildvcs=false" "$go" build -trimpath -o "$work/ferretdb" ./cmd/ferretdb
  ) >"$buildlog" 2>&1; then
    rm -rf "$work"
    log_tail "$buildlog" >&2
    die "mongo: building FerretDB failed (log: $buildlog)"
  fi
  local reported
  reported="$("$work/ferretdb" --version 2>&1 || true)"
  if [[ "$reported" != *"version: $FERRETDB_VERSION"* ]]; then
    rm -rf "$work"
    die "mongo: the built binary does not report version $FERRETDB_VERSION: $reported"
  fi
  mkdir -p "$(dirname "$FERRETDB_BIN")"
  mv "$work/ferretdb" "$FERRETDB_BIN"
  rm -rf "$work"
  log "mongo: FerretDB built in $(elapsed "$start") -> $FERRETDB_BIN"
}

# Kafka 4 jars from Maven Central via a throw-away pom. Kafka does not publish its logging backend,
# so add log4j-core + log4j-slf4j-impl (Kafka 4.1 uses slf4j-api 1.7.x: the slf4j2 binding would
# be ignored and the broker would log nothing).
kafka_install() {
  if ! command -v java >/dev/null; then apt_install openjdk-17-jre-headless; fi
  [ -f "$KAFKA_LIBS/.complete" ] && return 0
  if ! command -v mvn >/dev/null; then apt_install maven; fi
  local base="$CACHE/kafka-$KAFKA_VERSION" start
  start="$(now)"
  mkdir -p "$base"
  cat >"$base/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.fstore</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>$LOG4J_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>$LOG4J_VERSION</version></dependency>
  </dependencies>
</project>
EOF
  log "kafka: fetching Kafka $KAFKA_VERSION jars with Maven (one-off; log: $base/mvn.log)"
  rm -rf "$base/libs.tmp"
  if ! (cd "$base" && mvn -q -B dependency:copy-dependencies -DoutputDirectory="$base/libs.tmp" -DincludeScope=runtime) >"$base/mvn.log" 2>&1; then
    log_tail "$base/mvn.log" >&2
    die "kafka: mvn dependency:copy-dependencies failed (log: $base/mvn.log)"
  fi
  [ -f "$base/libs.tmp/kafka_2.13-$KAFKA_VERSION.jar" ] || die "kafka: kafka_2.13-$KAFKA_VERSION.jar missing after mvn"
  touch "$base/libs.tmp/.complete"
  rm -rf "$base/libs"
  mv "$base/libs.tmp" "$base/libs"
  log "kafka: $(find "$base/libs" -name '*.jar' | wc -l) jars fetched in $(elapsed "$start")"
}

# ------------------------------------------------------------------ starts (non-blocking)
redis_start() {
  mkdir -p "$REDIS_DIR/data"
  rm -f "$REDIS_PID"
  local persist=(--save "" --appendonly no)
  if [ "${FSTORE_REDIS_PERSIST:-0}" = 1 ]; then persist=(--save "" --appendonly yes --appendfsync everysec); fi
  log "redis: starting on 127.0.0.1:$REDIS_PORT (log: $REDIS_LOG)"
  # Many logical databases: parallel test processes each take their own (service/test/helpers.ts).
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes --databases 1024 \
    --dir "$REDIS_DIR/data" --pidfile "$REDIS_PID" --logfile "$REDIS_LOG" "${persist[@]}" </dev/null >/dev/null 2>&1 9>&- ||
    { log_tail "$REDIS_LOG" >&2; die "redis: redis-server failed to start"; }
}

# Starts the cluster's nodes that are not running (each keeps its nodes.conf, so a cluster whose
# nodes all restart re-forms by itself); redis_cluster_form then makes it one cluster if it is not.
redis_cluster_start() {
  local p dir
  for p in "${REDIS_CLUSTER_PORTS[@]}"; do
    dir="$REDIS_CLUSTER_DIR/$p"
    pid_alive "$dir/redis.pid" redis-server && continue
    mkdir -p "$dir"
    rm -f "$dir/redis.pid"
    log "redis-cluster: starting node on 127.0.0.1:$p (log: $dir/redis.log)"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$p" --protected-mode yes \
      --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 5000 \
      --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --save "" --appendonly no \
      </dev/null >/dev/null 2>&1 9>&- ||
      { log_tail "$dir/redis.log" >&2; die "redis-cluster: redis-server failed to start on port $p"; }
  done
}

# Once every node answers: a cluster that is not (or no longer) whole within a few seconds, such
# as a stale nodes.conf of an earlier run next to a fresh node, is reset (its data is not
# persisted anyway) and created anew: three masters, slots split evenly, no replicas.
redis_cluster_form() {
  local i p info hosts=()
  for ((i = 0; i < 20; i++)); do
    redis_cluster_ready && return 0
    # nodes that know no other node and serve no slot: nothing to wait for, create at once
    local fresh=1
    for p in "${REDIS_CLUSTER_PORTS[@]}"; do
      info="$(redis_cluster_info "$p")"
      [[ "$info" == *"cluster_slots_assigned:0"$'\n'* && "$info" == *"cluster_known_nodes:1"$'\n'* ]] || fresh=0
    done
    [ "$fresh" = 1 ] && break
    sleep 0.5
  done
  log "redis-cluster: creating the cluster (3 masters, no replicas)"
  for p in "${REDIS_CLUSTER_PORTS[@]}"; do
    timeout 10 redis-cli -h 127.0.0.1 -p "$p" flushall >/dev/null 2>&1 || true
    timeout 10 redis-cli -h 127.0.0.1 -p "$p" cluster reset hard >/dev/null 2>&1 ||
      die "redis-cluster: CLUSTER RESET HARD failed on port $p"
    hosts+=("127.0.0.1:$p")
  done
  timeout 60 redis-cli --cluster create "${hosts[@]}" --cluster-replicas 0 --cluster-yes \
    >"$REDIS_CLUSTER_DIR/create.log" 2>&1 ||
    { log_tail "$REDIS_CLUSTER_DIR/create.log" >&2; die "redis-cluster: redis-cli --cluster create failed"; }
}

# The postgres user must be able to walk down to $PG_DIR. Under /root (mode 0700) it cannot, so grant
# search-only permission (x, not r) on the ancestors that block it (an ACL for postgres if setfacl
# exists, else o+x).
pg_grant_traverse() {
  local path="$1" d="" part
  local IFS=/
  for part in $path; do
    [ -n "$part" ] || continue
    d="$d/$part"
    if ! runuser -u postgres -- test -x "$d" 2>/dev/null; then
      if command -v setfacl >/dev/null; then
        log "postgres: granting the postgres user search permission on $d (setfacl u:postgres:x)"
        setfacl -m u:postgres:x "$d"
      else
        log "postgres: granting search-only permission on $d (chmod o+x) so the postgres user can reach $PG_DIR"
        chmod o+x "$d"
      fi
    fi
  done
}

# any live (non-zombie) process named postgres on this machine
pg_any_postgres_alive() {
  local st
  for st in $(ps -C postgres -o stat= 2>/dev/null); do
    [[ "$st" == Z* ]] || return 0
  done
  return 1
}

pg_start() {
  local bin major
  bin="$(pg_bindir)"
  if [ -f "$PG_DATA/PG_VERSION" ]; then
    major="$(cat "$PG_DATA/PG_VERSION")"
    [ -x "/usr/lib/postgresql/$major/bin/pg_ctl" ] ||
      die "postgres: $PG_DATA was created by PostgreSQL $major, which is not installed (remove $PG_DIR to start afresh)"
    bin="/usr/lib/postgresql/$major/bin"
  fi
  mkdir -p "$PG_DIR"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "postgres: no 'postgres' OS user (is the postgresql package installed?)"
    chown postgres:postgres "$PG_DIR"
    chmod 0700 "$PG_DIR"
    pg_grant_traverse "$PG_DIR"
  fi
  as_pg mkdir -p "$PG_SOCK"
  as_pg chmod 0700 "$PG_SOCK"
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    log "postgres: initdb $PG_DATA"
    as_pg "$bin/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 >"$STATE/postgres-initdb.log" 2>&1 ||
      { log_tail "$STATE/postgres-initdb.log" >&2; die "postgres: initdb failed"; }
    # local (unix socket) connections are trusted, but the socket lives in a 0700 folder of the owner
    as_pg tee -a "$PG_DATA/postgresql.conf" >/dev/null <<EOF

# --- FStore local test instance (scripts/services/up.sh) ---
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_SOCK'
unix_socket_permissions = 0700
max_connections = 200
synchronous_commit = off
EOF
  fi
  # PostgreSQL itself ignores a postmaster.pid whose pid is dead. It refuses to start when that pid was
  # recycled by an unrelated process, so drop the file in that case only, and only if no postgres
  # process at all is left (orphaned backends must be gone before a new postmaster may start).
  local oldpid
  oldpid="$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null || true)"
  if [[ "$oldpid" =~ ^[0-9]+$ ]] && kill -0 "$oldpid" 2>/dev/null && ! pg_ours_running && ! pg_any_postgres_alive; then
    log "postgres: removing stale $PG_DATA/postmaster.pid (its pid $oldpid now belongs to another program)"
    rm -f "$PG_DATA/postmaster.pid"
  fi
  log "postgres: starting PostgreSQL $(basename "$(dirname "$bin")") on 127.0.0.1:$PG_PORT (log: $PG_LOG)"
  as_pg "$bin/pg_ctl" start -D "$PG_DATA" -l "$PG_LOG" -W -s 9>&- ||
    { log_tail "$PG_LOG" >&2; die "postgres: pg_ctl start failed"; }
}

# Role fstore/fstore (CREATEDB, so tests can create scratch databases) and database fstore; idempotent.
pg_provision() {
  pg_app_ok && return 0
  local cmd
  if pg_ours_running; then
    cmd=(psql -h "$PG_SOCK" -p "$PG_PORT" -U postgres -d postgres)
  else
    # a cluster these scripts did not start (e.g. Debian's own 'main' cluster): peer auth as postgres
    cmd=(as_pg psql -p "$PG_PORT" -d postgres)
  fi
  log "postgres: creating role and database 'fstore'"
  "${cmd[@]}" -X -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || die "postgres: could not create role/database fstore"
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'fstore') THEN
    CREATE ROLE fstore LOGIN CREATEDB PASSWORD 'fstore';
  ELSE
    ALTER ROLE fstore LOGIN CREATEDB PASSWORD 'fstore';
  END IF;
END
$$;
SELECT 'CREATE DATABASE fstore OWNER fstore'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'fstore')\gexec
SQL
  pg_app_ok || die "postgres: cannot log in as $PG_URL after provisioning"
}

mongo_start() {
  mkdir -p "$MONGO_DIR/data" "$MONGO_DIR/state"
  log "mongo: starting FerretDB $FERRETDB_VERSION (SQLite handler) on 127.0.0.1:$MONGO_PORT (log: $MONGO_LOG)"
  # the child writes its own pid before exec, so the pid file always names the server itself
  echo "=== $(date -u +%FT%TZ) started by scripts/services/up.sh ===" >>"$MONGO_LOG"
  # shellcheck disable=SC2016 # $$ is expanded by the child bash: its own pid, kept by exec
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$MONGO_PID" "$FERRETDB_BIN" \
    --listen-addr="127.0.0.1:$MONGO_PORT" --handler=sqlite --sqlite-url="file:$MONGO_DIR/data/" \
    --state-dir="$MONGO_DIR/state" --telemetry=disable --debug-addr=- --log-level=info \
    </dev/null >>"$MONGO_LOG" 2>&1 9>&- &
}

kafka_write_config() {
  cat >"$KAFKA_DIR/server.properties" <<EOF
# generated by scripts/services/up.sh: single combined broker+controller, KRaft, loopback only
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DATA
num.partitions=3
auto.create.topics.enable=true
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
EOF
  # shutdownHook=disable: otherwise log4j stops in its own JVM shutdown hook while Kafka is still
  # shutting down, and the last lines (proof of a clean shutdown) never reach the log
  cat >"$KAFKA_DIR/log4j2.properties" <<'EOF'
status = warn
shutdownHook = disable
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = STDOUT
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.config.name = org.apache.kafka.common.config.AbstractConfig
logger.config.level = WARN
EOF
}

kafka_cluster_id() {
  if [ ! -s "$KAFKA_DIR/cluster.id" ]; then
    # same shape as `kafka-storage.sh random-uuid` (url-safe base64 of 16 random bytes, no leading '-'),
    # without paying for a JVM start
    python3 -c '
import base64, uuid
while True:
    s = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
    if not s.startswith("-"):
        print(s)
        break' >"$KAFKA_DIR/cluster.id"
  fi
  cat "$KAFKA_DIR/cluster.id"
}

kafka_start() {
  mkdir -p "$KAFKA_DATA"
  kafka_write_config
  local jvm=(java -Dlog4j2.configurationFile="$KAFKA_DIR/log4j2.properties" -Djava.awt.headless=true -cp "$KAFKA_LIBS/*")
  if [ ! -f "$KAFKA_DATA/meta.properties" ]; then
    log "kafka: formatting storage in $KAFKA_DATA (first start only)"
    "${jvm[@]}" -Xmx256m kafka.tools.StorageTool format --standalone -t "$(kafka_cluster_id)" \
      -c "$KAFKA_DIR/server.properties" --ignore-formatted >>"$KAFKA_LOG" 2>&1 ||
      { log_tail "$KAFKA_LOG" >&2; die "kafka: storage format failed"; }
  fi
  echo "$KAFKA_VERSION" >"$KAFKA_DIR/version"
  log "kafka: starting Kafka $KAFKA_VERSION (KRaft) on 127.0.0.1:$KAFKA_PORT, controller :$KAFKA_CONTROLLER_PORT (log: $KAFKA_LOG)"
  echo "=== $(date -u +%FT%TZ) started by scripts/services/up.sh ===" >>"$KAFKA_LOG"
  # shellcheck disable=SC2016,SC2086 # $$ is the child's pid; KAFKA_HEAP_OPTS is a list of JVM flags
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$KAFKA_PID" "${jvm[0]}" $KAFKA_HEAP_OPTS \
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    "${jvm[@]:1}" kafka.Kafka "$KAFKA_DIR/server.properties" \
    </dev/null >>"$KAFKA_LOG" 2>&1 9>&- &
}

# ------------------------------------------------------------------ plan
# For each service: answers already -> nothing to do; our process is alive but still starting ->
# just wait; its port is taken by something that does not answer -> error; else install + start.
TO_START=()
TO_WAIT=()
for svc in "${SERVICES[@]}"; do
  case "$svc" in
    redis-cluster)
      if redis_cluster_ready; then
        log "redis-cluster: already running on 127.0.0.1:${REDIS_CLUSTER_PORTS[*]}"
        continue
      fi
      # ports held by something other than our nodes: refuse, as for the other services
      for p in "${REDIS_CLUSTER_PORTS[@]}"; do
        pid_alive "$(redis_cluster_pidfile "$p")" redis-server && continue
        for q in "$p" "$((p + 10000))"; do
          if port_open "$q"; then
            die "redis-cluster: port $q is in use by another program ($(ss -ltnpH "sport = :$q" 2>/dev/null | head -n 1)); set FSTORE_REDIS_CLUSTER_PORT to the first of three other free ports"
          fi
        done
      done
      TO_START+=(redis-cluster)
      TO_WAIT+=(redis-cluster)
      continue
      ;;
    redis)
      if command -v redis-cli >/dev/null && redis_ready; then
        log "redis: already running on 127.0.0.1:$REDIS_PORT"
        continue
      fi
      if pid_alive "$REDIS_PID" redis-server; then TO_WAIT+=(redis); continue; fi
      ;;
    postgres)
      if pg_ready; then
        log "postgres: already running on 127.0.0.1:$PG_PORT"
        pg_provision
        continue
      fi
      if pg_ours_running; then TO_WAIT+=(postgres); continue; fi
      ;;
    mongo)
      if mongo_ready; then
        log "mongo: already running on 127.0.0.1:$MONGO_PORT"
        continue
      fi
      if pid_alive "$MONGO_PID" ferretdb; then TO_WAIT+=(mongo); continue; fi
      ;;
    kafka)
      if kafka_ready; then
        log "kafka: already running on 127.0.0.1:$KAFKA_PORT"
        continue
      fi
      if pid_alive "$KAFKA_PID" kafka.Kafka; then TO_WAIT+=(kafka); continue; fi
      if port_open "$KAFKA_CONTROLLER_PORT"; then
        die "kafka: port $KAFKA_CONTROLLER_PORT (controller) is in use by another program: $(ss -ltnpH "sport = :$KAFKA_CONTROLLER_PORT" 2>/dev/null | head -n 1)"
      fi
      ;;
  esac
  port="$(port_of "$svc")"
  if port_open "$port"; then
    die "$svc: port $port is in use by a program that does not answer like $svc: $(ss -ltnpH "sport = :$port" 2>/dev/null | head -n 1)"
  fi
  TO_START+=("$svc")
  TO_WAIT+=("$svc")
done

has() {
  local x
  for x in "${@:2}"; do [ "$x" = "$1" ] && return 0; done
  return 1
}

if [ ${#TO_START[@]} -gt 0 ]; then
  # apt installs first (dpkg lock), then the FerretDB build and the Kafka download side by side
  if has redis "${TO_START[@]}" || has redis-cluster "${TO_START[@]}"; then redis_install; fi
  if has postgres "${TO_START[@]}"; then pg_install; fi
  bg=()
  if has mongo "${TO_START[@]}"; then mongo_install & bg+=($!); fi
  if has kafka "${TO_START[@]}"; then kafka_install & bg+=($!); fi
  for p in "${bg[@]}"; do wait "$p" || die "install step failed (see above)"; done

  # start everything, slowest (Kafka's JVM) first, then wait
  if has kafka "${TO_START[@]}"; then kafka_start; fi
  if has redis "${TO_START[@]}"; then redis_start; fi
  if has redis-cluster "${TO_START[@]}"; then redis_cluster_start; fi
  if has postgres "${TO_START[@]}"; then pg_start; fi
  if has mongo "${TO_START[@]}"; then mongo_start; fi
fi

for svc in "${TO_WAIT[@]}"; do
  case "$svc" in
    redis) wait_ready redis 30 "$REDIS_LOG" "$REDIS_PID" redis-server redis_ready ;;
    redis-cluster)
      for p in "${REDIS_CLUSTER_PORTS[@]}"; do
        wait_ready "redis-cluster node $p" 30 "$(redis_cluster_logfile "$p")" "$(redis_cluster_pidfile "$p")" redis-server redis_node_ready "$p"
      done
      redis_cluster_form
      wait_ready redis-cluster 30 "$REDIS_CLUSTER_DIR/create.log" "" "" redis_cluster_ready
      ;;
    postgres)
      wait_ready postgres 60 "$PG_LOG" "" "" pg_ready
      pg_provision
      ;;
    mongo) wait_ready mongo 30 "$MONGO_LOG" "$MONGO_PID" ferretdb mongo_ready ;;
    kafka) wait_ready kafka 120 "$KAFKA_LOG" "$KAFKA_PID" kafka.Kafka kafka_ready ;;
  esac
done

log "up: ${SERVICES[*]} ready in $(elapsed "$T0") (state: $STATE)"
