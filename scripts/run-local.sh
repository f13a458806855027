#!/usr/bin/env bash
# Runs bridge-db-adapter locally: PostgreSQL (the machine's), a single-node KRaft Kafka broker
# started from the Maven Central jars, and the adapter; then publishes one sample of every event
# type and prints the row count of each table.
#   scripts/run-local.sh          start everything (again: reuses what is running)
#   scripts/run-local.sh stop     stop the adapter and the broker (their data stays under .local/)
#   scripts/run-local.sh status   say what is running
#   scripts/run-local.sh infra    only PostgreSQL and the broker (what the benchmark needs)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LOCAL="$ROOT/.local"
KAFKA_DIR="$LOCAL/kafka"
ADAPTER_DIR="$LOCAL/adapter"
JAR="$ROOT/target/bridge-db-adapter.jar"
CONFIG="$ROOT/conf/config.json"
BOOTSTRAP="localhost:9092"
TOPIC_PREFIX="dev.omninode-bridge"
HTTP="http://localhost:8080"
DB_NAME="bridge_db"
DB_USER="bridge_user"
DB_PASSWORD="bridge_password"
TABLES=(workflow_executions workflow_steps metadata_stamps fsm_transitions bridge_states node_registrations)

log() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

is_running() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

stop_process() { # pid-file name
  local pid_file="$1" name="$2"
  if is_running "$pid_file"; then
    local pid; pid="$(cat "$pid_file")"
    log "stopping $name (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
  fi
  rm -f "$pid_file"
}

psql_admin() { psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qtAX "$@"; }

build_jar() {
  if [[ ! -f "$JAR" ]]; then
    log "building $JAR"
    (cd "$ROOT" && mvn -B -q -Dstyle.color=never -DskipTests package >&2)
  fi
}

ensure_postgres() {
  if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
    local version; version="$(ls /etc/postgresql | sort -V | tail -n 1)"
    log "starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
  pg_isready -h 127.0.0.1 -p 5432 -q || die "PostgreSQL is not answering on 127.0.0.1:5432"
  if [[ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'")" != "1" ]]; then
    log "creating role $DB_USER"
    psql_admin -c "CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD'"
  fi
  if [[ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != "1" ]]; then
    log "creating database $DB_NAME"
    psql_admin -c "CREATE DATABASE $DB_NAME OWNER $DB_USER"
  fi
}

kafka_classpath() {
  local cp_file="$KAFKA_DIR/classpath.txt"
  if [[ ! -s "$cp_file" || "$ROOT/pom.xml" -nt "$cp_file" ]]; then
    log "resolving the Kafka broker's jars from Maven" >&2
    (cd "$ROOT" && mvn -B -q -Dstyle.color=never dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >&2)
  fi
  cat "$cp_file"
}

write_broker_config() {
  mkdir -p "$KAFKA_DIR/data"
  cat > "$KAFKA_DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:9093
listeners=PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093
advertised.listeners=PLAINTEXT://localhost:9092
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$KAFKA_DIR/data
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
  cat > "$KAFKA_DIR/logback.xml" <<'XML'
<configuration>
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>${kafka.log.file}</file>
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{30} - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="FILE"/></root>
</configuration>
XML
}

start_broker() {
  local pid_file="$KAFKA_DIR/broker.pid"
  if is_running "$pid_file"; then
    log "Kafka broker already running (pid $(cat "$pid_file"))"
    return
  fi
  port_open 9092 && die "something else listens on port 9092; stop it first"
  mkdir -p "$KAFKA_DIR"
  local cp; cp="$(kafka_classpath)"
  write_broker_config
  if [[ ! -f "$KAFKA_DIR/data/meta.properties" ]]; then
    [[ -f "$KAFKA_DIR/cluster.id" ]] || java -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1 > "$KAFKA_DIR/cluster.id"
    log "formatting the broker's storage (cluster $(cat "$KAFKA_DIR/cluster.id"))"
    java -cp "$cp" -Dlogback.configurationFile="$KAFKA_DIR/logback.xml" -Dkafka.log.file="$KAFKA_DIR/broker.log" \
      kafka.tools.StorageTool format -t "$(cat "$KAFKA_DIR/cluster.id")" -c "$KAFKA_DIR/server.properties" >/dev/null
  fi
  log "starting the Kafka broker on $BOOTSTRAP (log: $KAFKA_DIR/broker.log)"
  nohup java -Xms256m -Xmx512m -cp "$cp" \
    -Dlogback.configurationFile="$KAFKA_DIR/logback.xml" -Dkafka.log.file="$KAFKA_DIR/broker.log" \
    kafka.Kafka "$KAFKA_DIR/server.properties" > "$KAFKA_DIR/broker.out" 2>&1 &
  echo $! > "$pid_file"
  for _ in $(seq 1 60); do port_open 9092 && return; is_running "$pid_file" || break; sleep 1; done
  tail -n 30 "$KAFKA_DIR/broker.out" "$KAFKA_DIR/broker.log" 2>/dev/null || true
  die "the Kafka broker did not start"
}

local_kafka() { java -cp "$JAR" "$ROOT/scripts/LocalKafka.java" "$@"; }

start_adapter() {
  local pid_file="$ADAPTER_DIR/adapter.pid"
  mkdir -p "$ADAPTER_DIR"
  if is_running "$pid_file"; then
    log "adapter already running (pid $(cat "$pid_file"))"
  else
    log "starting the adapter with $CONFIG (log: $ADAPTER_DIR/adapter.log)"
    nohup java -Xmx256m -jar "$JAR" -conf "$CONFIG" > "$ADAPTER_DIR/adapter.log" 2>&1 &
    echo $! > "$pid_file"
  fi
  for _ in $(seq 1 60); do
    curl -fs -o /dev/null "$HTTP/health/ready" && return
    is_running "$pid_file" || break
    sleep 1
  done
  tail -n 40 "$ADAPTER_DIR/adapter.log" || true
  die "the adapter did not become ready"
}

row_counts() {
  for table in "${TABLES[@]}"; do
    printf '%s=%s ' "$table" "$(psql_admin -d "$DB_NAME" -c "SELECT count(*) FROM $table")"
  done
}

wait_for_rows() {
  for _ in $(seq 1 30); do
    local empty=0
    for table in "${TABLES[@]}"; do
      [[ "$(psql_admin -d "$DB_NAME" -c "SELECT count(*) > 0 FROM $table")" == "t" ]] || empty=1
    done
    [[ $empty == 0 ]] && return
    sleep 1
  done
  die "not every table received a row; see $ADAPTER_DIR/adapter.log"
}

print_summary() {
  printf '\n%-22s %s\n' "table" "rows"
  for table in "${TABLES[@]}"; do
    printf '%-22s %s\n' "$table" "$(psql_admin -d "$DB_NAME" -c "SELECT count(*) FROM $table")"
  done
  cat <<TEXT

health:   $HTTP/health/live
          $HTTP/health/ready
logs:     $ADAPTER_DIR/adapter.log, $KAFKA_DIR/broker.log
stop:     scripts/run-local.sh stop
TEXT
}

start() {
  command -v java >/dev/null || die "java (17+) is not on the PATH"
  build_jar
  ensure_postgres
  start_broker
  local_kafka topics "$BOOTSTRAP" "$TOPIC_PREFIX" 3
  start_adapter
  log "publishing one sample of every event type"
  local_kafka produce "$BOOTSTRAP" "$TOPIC_PREFIX" "$ROOT"/scripts/samples/*.json
  wait_for_rows
  print_summary
}

status() {
  is_running "$KAFKA_DIR/broker.pid" && echo "broker:  running (pid $(cat "$KAFKA_DIR/broker.pid"))" || echo "broker:  stopped"
  is_running "$ADAPTER_DIR/adapter.pid" && echo "adapter: running (pid $(cat "$ADAPTER_DIR/adapter.pid"))" || echo "adapter: stopped"
}

case "${1:-start}" in
  start) start ;;
  stop)
    stop_process "$ADAPTER_DIR/adapter.pid" "adapter"
    stop_process "$KAFKA_DIR/broker.pid" "Kafka broker"
    ;;
  status) status ;;
  infra) build_jar; ensure_postgres; start_broker ;;
  *) die "usage: $0 [start|stop|status]" ;;
esac
