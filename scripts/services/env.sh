#!/usr/bin/env bash
# Connection settings for the services started by up.sh, one KEY=VALUE per line on stdout.
#   eval "$(bash scripts/services/env.sh | sed 's/^/export /')"
set -euo pipefail
cat <<'ENV'
FSTORE_ONLINE_STORE=redis://127.0.0.1:6379
FSTORE_OFFLINE_STORE=postgres://fstore:fstore@127.0.0.1:5432/fstore
FSTORE_REGISTRY=mongodb://127.0.0.1:27017/fstore
FSTORE_KAFKA_BROKERS=127.0.0.1:9092
ENV
# The local Redis Cluster (up.sh redis-cluster): its nodes, for the cluster's conformance tests.
port="${FSTORE_REDIS_CLUSTER_PORT:-7001}"
echo "FSTORE_TEST_REDIS_CLUSTER=redis+cluster://127.0.0.1:$port,127.0.0.1:$((port + 1)),127.0.0.1:$((port + 2))"
