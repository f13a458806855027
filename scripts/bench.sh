#!/usr/bin/env bash
# The benchmark: brings up PostgreSQL and a local KRaft broker (scripts/run-local.sh infra), then runs
# io.omninode.bridge.adapter.bench.Benchmark against the fat jar. Prints a table and writes
# target/bench/result.json. Options (defaults): --events 1000000 --runs 3 --rate 5000 --seconds 60
# --heap 160m --partitions 6 --workflows 500
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/run-local.sh infra
# the producers' retries while fresh topics elect leaders are expected; keep the output to the results
export BRIDGE_LOG_KAFKA_LEVEL="${BRIDGE_LOG_KAFKA_LEVEL:-ERROR}"
exec java -Xmx1g -cp target/bridge-db-adapter.jar io.omninode.bridge.adapter.bench.Benchmark "$@"
