#!/usr/bin/env bash
# The benchmark: brings up PostgreSQL and a local KRaft broker (scripts/run-local.sh infra), then runs
# io.omninode.bridge.adapter.bench.Benchmark (in the test tree: it is not part of the shipped jar) against
# the fat jar. Prints a table and writes target/bench/result.json. Options (defaults): --events 1000000
# --runs 3 --rate 1000,5000 --seconds 60 --warmup-seconds 10 --partitions 6 --workflows 500 --scaling 1,2,3
# --neighbour 0 (a share of one core kept busy by another process through the rate phases); docs/benchmark.md
#   scripts/bench.sh load --events 100000 --rate 5000 [--prefix …] [--expect rows.json]   the load generator alone
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/run-local.sh infra
mkdir -p target/bench
if [[ ! -s target/bench/classpath.txt || pom.xml -nt target/bench/classpath.txt ]]; then
  mvn -B -q -Dstyle.color=never dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench/classpath.txt >&2
fi
mvn -B -q -Dstyle.color=never -DskipTests test-compile >&2
CLASSPATH="target/test-classes:target/classes:$(cat target/bench/classpath.txt)"
# the producers' retries while fresh topics elect leaders are expected; keep the output to the results
export BRIDGE_LOG_KAFKA_LEVEL="${BRIDGE_LOG_KAFKA_LEVEL:-ERROR}"
MAIN=io.omninode.bridge.adapter.bench.Benchmark
if [[ "${1:-}" == "load" ]]; then
  shift
  MAIN=io.omninode.bridge.adapter.bench.LoadGenerator
fi
exec java -Xmx1g -cp "$CLASSPATH" "$MAIN" "$@"
