#!/usr/bin/env bash
# One line per service: name, port, up/down, version, and who started it.
#   bash scripts/services/status.sh [redis|redis-cluster|postgres|mongo|kafka ...]   (default: all five)
# Exit status 0 when every listed service is up, 1 otherwise.
set -euo pipefail
# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

parse_services "$@"
rc=0
for svc in "${SERVICES[@]}"; do
  port="$(port_of "$svc")"
  state=down version="-" owner=""
  case "$svc" in
    redis-cluster)
      if redis_cluster_ready; then
        state=up version="$(REDIS_PORT="$REDIS_CLUSTER_PORT" redis_version), 3 masters"
        pids=()
        for p in "${REDIS_CLUSTER_PORTS[@]}"; do pid_alive "$(redis_cluster_pidfile "$p")" redis-server && pids+=("$(cat "$(redis_cluster_pidfile "$p")")"); done
        if [ ${#pids[@]} -gt 0 ]; then owner="pids ${pids[*]}"; else owner="external"; fi
      fi
      ;;
    redis)
      if command -v redis-cli >/dev/null && redis_ready; then
        state=up version="$(redis_version)"
        pid_alive "$REDIS_PID" redis-server && owner="pid $(cat "$REDIS_PID")" || owner="external"
      fi
      ;;
    postgres)
      if pg_ready; then
        state=up version="$(pg_version)"
        [ -n "$version" ] || version="? (cannot log in as fstore)"
        if pg_ours_running; then owner="pid $(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null || echo '?')"; else owner="external"; fi
      fi
      ;;
    mongo)
      if mongo_ready; then
        state=up version="$(mongo_version || echo '?')"
        pid_alive "$MONGO_PID" ferretdb && owner="pid $(cat "$MONGO_PID")" || owner="external"
      fi
      ;;
    kafka)
      if kafka_ready; then
        state=up version="$(kafka_version)"
        pid_alive "$KAFKA_PID" kafka.Kafka && owner="pid $(cat "$KAFKA_PID")" || owner="external"
      fi
      ;;
  esac
  [ "$state" = up ] || rc=1
  printf '%-13s %-6s %-5s %s%s\n' "$svc" "$port" "$state" "$version" "${owner:+  [$owner]}"
done
exit "$rc"
