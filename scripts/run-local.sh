#!/usr/bin/env bash
# Runs bridge-db-adapter locally: PostgreSQL, a single-node KRaft Kafka broker started from the Maven Central
# jars, and the adapter; then publishes one sample of every event type and prints the row count of each table.
#   scripts/run-local.sh          start everything (again: reuses what is running)
#   scripts/run-local.sh stop     stop the adapter, the broker and the embedded PostgreSQL (data stays in .local/)
#   scripts/run-local.sh status   say what is running
#   scripts/run-local.sh infra    only PostgreSQL and the broker (what the benchmark needs)
# PostgreSQL is the first of: a server answering at BRIDGE_DATABASE_HOST:BRIDGE_DATABASE_PORT (127.0.0.1:5432);
# the machine's installation, when one of its clusters has that port (pg_ctlcluster); an embedded PostgreSQL 14.22
# (zonky's binaries, from Maven Central) on that port with its data in $LOCAL_DIR/postgres/data.
# LOCAL_POSTGRES=embedded goes straight to the last. The superuser is postgres (PGPASSWORD if it needs one).
# Other settings from the environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), BRIDGE_HTTP_PORT (8080),
# LOCAL_DIR (.local of the project); the adapter gets them through its BRIDGE_* variables.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LOCAL="${LOCAL_DIR:-$ROOT/.local}"
[[ "$LOCAL" == /* ]] || LOCAL="$PWD/$LOCAL"
KAFKA_DIR="$LOCAL/kafka"
ADAPTER_DIR="$LOCAL/adapter"
PG_DATA="$LOCAL/postgres/data"
JAR="$ROOT/target/bridge-db-adapter.jar"
# written by every build (pom.xml): the broker's jars and testsupport.LocalPostgres's
CLASSPATH_FILE="$ROOT/target/test-classpath.txt"
LAUNCHER_CLASS="$ROOT/target/test-classes/io/omninode/bridge/adapter/testsupport/LocalPostgres.class"
CONFIG="$ROOT/conf/config.json"
LOCAL_POSTGRES="${LOCAL_POSTGRES:-auto}"
[[ "$LOCAL_POSTGRES" =~ ^(auto|embedded)$ ]] || { echo "error: LOCAL_POSTGRES is auto or embedded, not '$LOCAL_POSTGRES'" >&2; exit 1; }
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
export BRIDGE_HTTP_PORT="${BRIDGE_HTTP_PORT:-8080}"
export BRIDGE_KAFKA_BOOTSTRAP_SERVERS="localhost:$KAFKA_PORT"
export BRIDGE_DATABASE_HOST="${BRIDGE_DATABASE_HOST:-127.0.0.1}"
export BRIDGE_DATABASE_PORT="${BRIDGE_DATABASE_PORT:-5432}"
export BRIDGE_DATABASE_DATABASE="${BRIDGE_DATABASE_DATABASE:-bridge_db}"
export BRIDGE_DATABASE_USER="${BRIDGE_DATABASE_USER:-bridge_user}"
export BRIDGE_DATABASE_PASSWORD="${BRIDGE_DATABASE_PASSWORD:-bridge_password}"
BOOTSTRAP="$BRIDGE_KAFKA_BOOTSTRAP_SERVERS"
TOPIC_PREFIX="dev.omninode-bridge"
HTTP="http://localhost:$BRIDGE_HTTP_PORT"
TABLES=(workflow_executions workflow_steps metadata_stamps fsm_transitions bridge_states node_registrations)
POSTGRES_USED=""

log() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

pid_of() { head -n 1 "$1"; } # a pid file, or PostgreSQL's postmaster.pid whose first line is the pid

is_running() { [[ -f "$1" ]] && kill -0 "$(pid_of "$1")" 2>/dev/null; }

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; } # host port

is_local_host() { [[ "$1" =~ ^(127\.0\.0\.1|localhost|::1)$ ]]; }

stop_process() { # pid-file name [signal]
  local pid_file="$1" name="$2" signal="${3:-TERM}"
  if is_running "$pid_file"; then
    local pid; pid="$(pid_of "$pid_file")"
    log "stopping $name (pid $pid)"
    kill "-$signal" "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
  fi
  rm -f "$pid_file"
}

build() {
  if [[ ! -f "$JAR" || ! -f "$LAUNCHER_CLASS" || ! -s "$CLASSPATH_FILE" || "$ROOT/pom.xml" -nt "$CLASSPATH_FILE" ]]; then
    log "building $JAR and the test classes"
    (cd "$ROOT" && mvn -B -q -Dstyle.color=never -DskipTests package >&2)
  fi
}

local_postgres() {
  java -cp "$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$CLASSPATH_FILE")" -Dbridge.local.dir="$LOCAL" \
    io.omninode.bridge.adapter.testsupport.LocalPostgres "$@"
}

# an embedded PostgreSQL of this LOCAL_DIR is running (a stale postmaster.pid names a pid now given to another program)
embedded_running() {
  is_running "$PG_DATA/postmaster.pid" || return 1
  local pid; pid="$(pid_of "$PG_DATA/postmaster.pid")"
  [[ ! -r "/proc/$pid/comm" || "$(cat "/proc/$pid/comm")" == postgres ]]
}

# "<version> <cluster>" of the machine's cluster configured for the port, if there is one
machine_cluster() {
  command -v pg_lsclusters >/dev/null || return 1
  pg_lsclusters -h 2>/dev/null | awk -v port="$1" '$3 == port { print $1, $2; found = 1; exit } END { exit !found }'
}

why_embedded() {
  if [[ "$LOCAL_POSTGRES" == embedded ]]; then echo "LOCAL_POSTGRES=embedded"
  else echo "nothing answers at $BRIDGE_DATABASE_HOST:$BRIDGE_DATABASE_PORT and no cluster of this machine has that port"; fi
}

ensure_postgres() {
  local host="$BRIDGE_DATABASE_HOST" port="$BRIDGE_DATABASE_PORT" cluster embedded=""
  if is_local_host "$host" && embedded_running; then
    local running_port; running_port="$(sed -n 4p "$PG_DATA/postmaster.pid")"
    [[ "$running_port" == "$port" ]] || die "the embedded PostgreSQL of $LOCAL runs on port $running_port, not $port: $0 stop first"
    POSTGRES_USED="embedded PostgreSQL on 127.0.0.1:$port, already running (data $PG_DATA)"
  elif [[ "$LOCAL_POSTGRES" != embedded ]] && port_open "$host" "$port"; then
    POSTGRES_USED="the PostgreSQL answering at $host:$port"
  elif [[ "$LOCAL_POSTGRES" != embedded ]] && is_local_host "$host" && cluster="$(machine_cluster "$port")"; then
    log "starting the machine's PostgreSQL $cluster"
    pg_ctlcluster --skip-systemctl-redirect $cluster start
    POSTGRES_USED="the machine's PostgreSQL $cluster on $host:$port"
  else
    is_local_host "$host" || die "no PostgreSQL answers at $host:$port (an embedded one can only run on this machine)"
    port_open 127.0.0.1 "$port" && die "port $port is taken; choose another with BRIDGE_DATABASE_PORT"
    POSTGRES_USED="embedded PostgreSQL on 127.0.0.1:$port (data $PG_DATA; stopped by $0 stop)"
    embedded="--embedded"
  fi
  log "PostgreSQL: $POSTGRES_USED${embedded:+, because $(why_embedded)}"
  local_postgres prepare "$host" "$port" "$BRIDGE_DATABASE_DATABASE" "$BRIDGE_DATABASE_USER" $embedded
}

write_broker_config() {
  mkdir -p "$KAFKA_DIR/data"
  cat > "$KAFKA_DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://localhost:$KAFKA_PORT,CONTROLLER://localhost:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://localhost:$KAFKA_PORT
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
    log "Kafka broker already running (pid $(pid_of "$pid_file"))"
    return
  fi
  for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    port_open 127.0.0.1 "$port" && die "something else listens on port $port; stop it or set KAFKA_PORT / KAFKA_CONTROLLER_PORT"
  done
  mkdir -p "$KAFKA_DIR"
  local cp; cp="$(cat "$CLASSPATH_FILE")"
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
  for _ in $(seq 1 60); do port_open 127.0.0.1 "$KAFKA_PORT" && return; is_running "$pid_file" || break; sleep 1; done
  tail -n 30 "$KAFKA_DIR/broker.out" "$KAFKA_DIR/broker.log" 2>/dev/null || true
  die "the Kafka broker did not start"
}

local_kafka() { java -cp "$JAR" "$ROOT/scripts/LocalKafka.java" "$@"; }

start_adapter() {
  local pid_file="$ADAPTER_DIR/adapter.pid"
  mkdir -p "$ADAPTER_DIR"
  if is_running "$pid_file"; then
    log "adapter already running (pid $(pid_of "$pid_file"))"
  else
    log "starting the adapter with $CONFIG (log: $ADAPTER_DIR/adapter.log)"
    MALLOC_ARENA_MAX=2 nohup java @"$ROOT/conf/jvm.options" -jar "$JAR" -conf "$CONFIG" > "$ADAPTER_DIR/adapter.log" 2>&1 &
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

print_summary() {
  local_postgres rows "$BRIDGE_DATABASE_HOST" "$BRIDGE_DATABASE_PORT" "$BRIDGE_DATABASE_DATABASE" 30 "${TABLES[@]}" \
    || die "not every table received a row; see $ADAPTER_DIR/adapter.log"
  cat <<TEXT

postgres: $POSTGRES_USED
health:   $HTTP/health/live
          $HTTP/health/ready
logs:     $ADAPTER_DIR/adapter.log, $KAFKA_DIR/broker.log
stop:     $0 stop
TEXT
}

start() {
  command -v java >/dev/null || die "java (17+) is not on the PATH"
  build
  ensure_postgres
  start_broker
  local_kafka topics "$BOOTSTRAP" "$TOPIC_PREFIX" 3
  start_adapter
  log "publishing one sample of every event type"
  local_kafka produce "$BOOTSTRAP" "$TOPIC_PREFIX" "$ROOT"/scripts/samples/*.json
  print_summary
}

report() { # name pid-file
  if is_running "$2"; then echo "$1: running (pid $(pid_of "$2"))"; else echo "$1: stopped"; fi
}

status() {
  report broker "$KAFKA_DIR/broker.pid"
  report adapter "$ADAPTER_DIR/adapter.pid"
  report "embedded postgres" "$PG_DATA/postmaster.pid" # another PostgreSQL is not run-local's to report
}

stop() {
  stop_process "$ADAPTER_DIR/adapter.pid" "adapter"
  stop_process "$KAFKA_DIR/broker.pid" "Kafka broker"
  # SIGINT is PostgreSQL's fast shutdown; a PostgreSQL run-local did not start is left as it is
  if embedded_running; then stop_process "$PG_DATA/postmaster.pid" "the embedded PostgreSQL" INT; fi
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  infra) build; ensure_postgres; start_broker ;;
  *) die "usage: $0 [start|stop|status|infra]" ;;
esac
