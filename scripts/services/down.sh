#!/usr/bin/env bash
# Stop the services that scripts/services/up.sh started (pid files / pg_ctl); others are left alone.
#   bash scripts/services/down.sh [redis|redis-cluster|postgres|mongo|kafka ...]   (default: all five)
set -euo pipefail
# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

parse_services "$@"
T0="$(now)"
if [ ! -d "$STATE" ]; then
  log "down: nothing to stop ($STATE does not exist)"
  exit 0
fi
exec 9>"$STATE/.lock"
flock -w 900 9 || die "another up.sh/down.sh holds $STATE/.lock"

not_ours() {
  local svc="$1" port
  port="$(port_of "$svc")"
  if port_open "$port"; then
    log "$svc: not started by these scripts; left running on port $port"
  else
    log "$svc: not running"
  fi
}

# stop in reverse dependency order: kafka, mongo, postgres, redis-cluster, redis
for svc in kafka mongo postgres redis-cluster redis; do
  has=0
  for s in "${SERVICES[@]}"; do [ "$s" = "$svc" ] && has=1; done
  [ "$has" = 1 ] || continue
  case "$svc" in
    kafka)
      # controlled shutdown of the combined broker+controller takes a few seconds
      if stop_pidfile kafka "$KAFKA_PID" kafka.Kafka 90; then log "kafka: stopped"; else not_ours kafka; fi
      ;;
    mongo)
      if stop_pidfile mongo "$MONGO_PID" ferretdb 30; then log "mongo: stopped"; else not_ours mongo; fi
      ;;
    postgres)
      if pg_ours_running; then
        log "postgres: stopping (pg_ctl stop -m fast)"
        bin="/usr/lib/postgresql/$(cat "$PG_DATA/PG_VERSION")/bin"
        as_pg "$bin/pg_ctl" stop -D "$PG_DATA" -m fast -w -t 60 -s ||
          { log_tail "$PG_LOG" >&2; die "postgres: pg_ctl stop failed"; }
        log "postgres: stopped"
      else
        not_ours postgres
      fi
      ;;
    redis-cluster)
      stopped=0
      for p in "${REDIS_CLUSTER_PORTS[@]}"; do
        if stop_pidfile "redis-cluster node $p" "$(redis_cluster_pidfile "$p")" redis-server 30; then stopped=1; fi
      done
      if [ "$stopped" = 1 ]; then log "redis-cluster: stopped"; else not_ours redis-cluster; fi
      ;;
    redis)
      # SIGTERM makes Redis shut down like SHUTDOWN; aimed at our pid, not at whatever owns the port
      if stop_pidfile redis "$REDIS_PID" redis-server 30; then log "redis: stopped"; else not_ours redis; fi
      ;;
  esac
done
log "down: done in $(elapsed "$T0")"
