package io.omninode.bridge.adapter.it;

import io.omninode.bridge.adapter.testsupport.TestEvents;
import io.omninode.bridge.adapter.contract.EventType;
import io.omninode.bridge.adapter.contract.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.omninode.bridge.adapter.testsupport.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(VertxExtension.class)
@DisplayName("Each event type, produced to its topic, becomes exactly its row")
class PipelineIT {

  private static AdapterFixture adapter;

  @BeforeAll
  static void startAdapter() throws Exception {
    adapter = new AdapterFixture("pipeline").start();
  }

  @AfterAll
  static void stopAdapter() throws Exception {
    adapter.close();
  }

  private static Map<String, String> awaitRow(String sql) {
    return await().atMost(Duration.ofSeconds(30)).until(() -> adapter.db.rows(sql), rows -> rows.size() == 1).get(0);
  }

  @Test
  @DisplayName("WORKFLOW_STARTED inserts the workflow with the event's values and event time")
  void workflowStartedInsertsExecution() throws Exception {
    UUID workflow = UUID.randomUUID();
    adapter.topics.produce(List.of(TestEvents.workflowStarted(workflow, T0)));

    Map<String, String> row = awaitRow("SELECT * FROM workflow_executions WHERE correlation_id = '" + workflow + "'");
    assertThat(row).containsEntry("workflow_type", "metadata_stamping")
        .containsEntry("current_state", "PROCESSING")
        .containsEntry("namespace", "omninode.test")
        .containsEntry("started_at", "2026-11-24 10:00:00+00")
        .containsEntry("completed_at", null)
        .containsEntry("execution_time_ms", null)
        .containsEntry("error_message", null)
        .containsEntry("updated_at", "2026-11-24 10:00:00+00");
    assertThat(new JsonObject(row.get("metadata"))).isEqualTo(new JsonObject().put("requested_by", "it").put("priority", 1));
    assertThat(row.get("id")).isNotNull();
    assertThat(row.get("created_at")).isNotNull();
  }

  @Test
  @DisplayName("WORKFLOW_COMPLETED updates state, completion time, duration and merges metadata")
  void workflowCompletedUpdatesExecution() throws Exception {
    UUID workflow = UUID.randomUUID();
    adapter.topics.produce(List.of(TestEvents.workflowStarted(workflow, T0)));
    awaitRow("SELECT 1 FROM workflow_executions WHERE correlation_id = '" + workflow + "'");
    adapter.topics.produce(List.of(TestEvents.workflowCompleted(workflow, T0.plusSeconds(5), 5000)));

    Map<String, String> row = awaitRow("SELECT * FROM workflow_executions WHERE correlation_id = '" + workflow
        + "' AND completed_at IS NOT NULL");
    assertThat(row).containsEntry("workflow_type", "metadata_stamping")
        .containsEntry("current_state", "COMPLETED")
        .containsEntry("namespace", "omninode.test")
        .containsEntry("started_at", "2026-11-24 10:00:00+00")
        .containsEntry("completed_at", "2026-11-24 10:00:05+00")
        .containsEntry("execution_time_ms", "5000")
        .containsEntry("error_message", null)
        .containsEntry("updated_at", "2026-11-24 10:00:05+00");
    assertThat(new JsonObject(row.get("metadata")))
        .isEqualTo(new JsonObject().put("requested_by", "it").put("priority", 2).put("result", "ok"));
  }

  @Test
  @DisplayName("WORKFLOW_FAILED records the failure state, time and error message")
  void workflowFailedUpdatesExecution() throws Exception {
    UUID workflow = UUID.randomUUID();
    adapter.topics.produce(List.of(TestEvents.workflowStarted(workflow, T0)));
    awaitRow("SELECT 1 FROM workflow_executions WHERE correlation_id = '" + workflow + "'");
    adapter.topics.produce(List.of(TestEvents.workflowFailed(workflow, T0.plusSeconds(1), "disk full")));

    Map<String, String> row = awaitRow("SELECT * FROM workflow_executions WHERE correlation_id = '" + workflow
        + "' AND completed_at IS NOT NULL");
    assertThat(row).containsEntry("current_state", "FAILED")
        .containsEntry("completed_at", "2026-11-24 10:00:01+00")
        .containsEntry("execution_time_ms", "900")
        .containsEntry("error_message", "disk full")
        .containsEntry("workflow_type", "metadata_stamping")
        .containsEntry("started_at", "2026-11-24 10:00:00+00");
  }

  @Test
  @DisplayName("STEP_COMPLETED inserts a step linked to its workflow, unmapped fields kept in step_data")
  void stepCompletedInsertsStep() throws Exception {
    UUID workflow = UUID.randomUUID();
    TestEvents.Event step = TestEvents.stepCompleted(workflow, "hash-file", 2, T0.plusSeconds(1));
    step.envelope().getJsonObject("payload").getJsonObject("workflow_step_data").put("retries", 1);
    adapter.topics.produce(List.of(TestEvents.workflowStarted(workflow, T0), step));

    Map<String, String> row = awaitRow("SELECT s.*, w.correlation_id FROM workflow_steps s "
        + "JOIN workflow_executions w ON w.id = s.workflow_id WHERE w.correlation_id = '" + workflow + "'");
    assertThat(row).containsEntry("step_name", "hash-file")
        .containsEntry("step_order", "2")
        .containsEntry("status", "COMPLETED")
        .containsEntry("execution_time_ms", "12")
        .containsEntry("error_message", null)
        .containsEntry("created_at", "2026-11-24 10:00:01+00");
    assertThat(new JsonObject(row.get("step_data"))).isEqualTo(new JsonObject().put("bytes", 2048).put("retries", 1));
    assertThat(UUID.fromString(row.get("id"))).isEqualTo(UUID.nameUUIDFromBytes(
        ("workflow_steps:" + step.envelope().getString("event_id")).getBytes()));
  }

  @Test
  @DisplayName("STAMP_CREATED inserts a stamp referencing its workflow's row")
  void stampCreatedInsertsStamp() throws Exception {
    UUID workflow = UUID.randomUUID();
    String hash = "ab".repeat(32);
    adapter.topics.produce(List.of(TestEvents.workflowStarted(workflow, T0), TestEvents.stampCreated(workflow, hash, T0)));

    Map<String, String> row = awaitRow("SELECT m.*, w.correlation_id AS workflow FROM metadata_stamps m "
        + "JOIN workflow_executions w ON w.id = m.workflow_correlation_id WHERE m.file_hash = '" + hash + "'");
    assertThat(row).containsEntry("workflow", workflow.toString())
        .containsEntry("namespace", "omninode.test")
        .containsEntry("created_at", "2026-11-24 10:00:00+00");
    assertThat(new JsonObject(row.get("stamp_data"))).isEqualTo(new JsonObject().put("algorithm", "blake3"));
  }

  @Test
  @DisplayName("STATE_TRANSITION inserts a transition, from both the orchestrator and the reducer topics")
  void stateTransitionInsertsTransition() throws Exception {
    UUID entity = UUID.randomUUID();
    TestEvents.Event reducerTransition = TestEvents.stateTransition(entity, "ACTIVE", "IDLE", T0.plusSeconds(9));
    adapter.topics.produce(List.of(TestEvents.stateTransition(entity, "PENDING", "ACTIVE", T0)));
    adapter.topics.produceRaw(EventType.STATE_TRANSITION, entity.toString(), reducerTransition.envelope().encode());
    String reducerTopic = adapter.topicPrefix + ".reducer.state-transition.v1";
    adapter.topics.produceRawToTopic(reducerTopic, entity.toString(),
        TestEvents.stateTransition(entity, "IDLE", "DONE", T0.plusSeconds(10)).envelope().encode());

    List<Map<String, String>> rows = await().atMost(Duration.ofSeconds(30)).until(() -> adapter.db.rows(
        "SELECT * FROM fsm_transitions WHERE entity_id = '" + entity + "' ORDER BY created_at"), r -> r.size() == 3);
    assertThat(rows.get(0)).containsEntry("entity_type", "workflow")
        .containsEntry("from_state", "PENDING")
        .containsEntry("to_state", "ACTIVE")
        .containsEntry("transition_event", "advance")
        .containsEntry("created_at", "2026-11-24 10:00:00+00");
    assertThat(new JsonObject(rows.get(0).get("transition_data"))).isEqualTo(new JsonObject().put("reason", "test"));
    assertThat(rows.get(2)).containsEntry("to_state", "DONE");
  }

  @Test
  @DisplayName("STATE_AGGREGATION_COMPLETED upserts the bridge state; an older aggregation never wins")
  void aggregationUpsertsBridgeState() throws Exception {
    UUID bridge = UUID.randomUUID();
    adapter.topics.produce(List.of(TestEvents.aggregation(bridge, 10, 100, T0.plusSeconds(10))));
    awaitRow("SELECT 1 FROM bridge_states WHERE bridge_id = '" + bridge + "'");
    adapter.topics.produce(List.of(TestEvents.aggregation(bridge, 5, 50, T0.plusSeconds(5)),
        TestEvents.aggregation(bridge, 20, 200, T0.plusSeconds(20))));

    Map<String, String> row = awaitRow("SELECT * FROM bridge_states WHERE bridge_id = '" + bridge
        + "' AND total_workflows_processed = 20");
    assertThat(row).containsEntry("namespace", "omninode.test")
        .containsEntry("total_items_aggregated", "200")
        .containsEntry("current_fsm_state", "ACTIVE")
        .containsEntry("last_aggregation_timestamp", "2026-11-24 10:00:20+00")
        .containsEntry("updated_at", "2026-11-24 10:00:20+00");
    assertThat(new JsonObject(row.get("aggregation_metadata"))).isEqualTo(new JsonObject().put("window", 20));
  }

  @Test
  @DisplayName("NODE_HEARTBEAT updates the node's heartbeat and health; a node not yet registered gets a row")
  void heartbeatUpdatesNode() throws Exception {
    String node = "node-" + UUID.randomUUID();
    adapter.topics.produce(List.of(TestEvents.heartbeat(node, T0, "HEALTHY")));
    awaitRow("SELECT 1 FROM node_registrations WHERE node_id = '" + node + "'");
    adapter.topics.produce(List.of(TestEvents.heartbeat(node, T0.plusSeconds(30), "DEGRADED"),
        TestEvents.heartbeat(node, T0.plusSeconds(15), "UNHEALTHY")));

    Map<String, String> row = awaitRow("SELECT * FROM node_registrations WHERE node_id = '" + node
        + "' AND health_status = 'DEGRADED'");
    assertThat(row).containsEntry("node_type", "orchestrator")
        .containsEntry("node_version", "1.0.0")
        .containsEntry("last_heartbeat", "2026-11-24 10:00:30+00")
        .containsEntry("updated_at", "2026-11-24 10:00:30+00")
        .containsEntry("metadata", "{}");
    assertThat(new JsonObject(row.get("capabilities"))).isEqualTo(new JsonObject().put("stamping", true));
    assertThat(new JsonObject(row.get("endpoints")).getString("health")).isEqualTo("http://" + node + ":8080/health");
  }

  @Test
  @DisplayName("malformed events between good ones go to the dead-letter topic as they were; every good one is persisted")
  void malformedEventsDoNotStopTheStream() throws Exception {
    UUID workflow = UUID.randomUUID();
    String key = workflow.toString();
    adapter.topics.produce(List.of(TestEvents.stepCompleted(workflow, "before", 1, T0)));
    adapter.topics.produceRaw(EventType.STEP_COMPLETED, key, "{this is not json");
    TestEvents.Event tooLong = TestEvents.stepCompleted(workflow, "x".repeat(101), 2, T0);
    TestEvents.Event badUuid = TestEvents.stepCompleted(workflow, "bad", 3, T0);
    badUuid.envelope().getJsonObject("payload").getJsonObject("workflow_step_data").put("workflow_id", "42");
    TestEvents.Event unknownType = TestEvents.stepCompleted(workflow, "unknown", 4, T0);
    unknownType.envelope().put("event_type", "STEP_EXPLODED");
    adapter.topics.produce(List.of(tooLong, badUuid, unknownType, TestEvents.stepCompleted(workflow, "after", 5, T0)));

    await().atMost(Duration.ofSeconds(30)).until(() -> adapter.db.queryLong(
        "SELECT count(*) FROM workflow_steps s JOIN workflow_executions w ON w.id = s.workflow_id "
            + "WHERE w.correlation_id = '" + workflow + "'") == 2);
    assertThat(adapter.db.rows("SELECT step_name FROM workflow_steps s JOIN workflow_executions w ON w.id = s.workflow_id "
        + "WHERE w.correlation_id = '" + workflow + "' ORDER BY step_order"))
        .extracting(row -> row.get("step_name")).containsExactly("before", "after");

    List<ConsumerRecord<byte[], byte[]>> letters = await().atMost(Duration.ofSeconds(30)).until(
        () -> adapter.topics.deadLetters().stream().filter(r -> key.equals(keyOf(r))).toList(), found -> found.size() == 4);
    String stepTopic = TestEvents.topic(adapter.topicPrefix, EventType.STEP_COMPLETED);
    assertThat(letters).allSatisfy(letter -> {
      JsonObject value = new JsonObject(new String(letter.value(), StandardCharsets.UTF_8));
      assertThat(letter.topic()).isEqualTo(stepTopic + ".dlq");
      assertThat(value.getString("original_topic")).isEqualTo(stepTopic);
      assertThat(value.getLong("original_offset")).isNotNull();
      assertThat(value.getString("failed_at")).isNotNull();
      assertThat(new String(letter.headers().lastHeader("dlq.error.type").value(), StandardCharsets.UTF_8))
          .isEqualTo(value.getString("error_type"));
    });
    assertThat(letters).extracting(letter -> new JsonObject(new String(letter.value(), StandardCharsets.UTF_8)))
        .extracting(value -> value.getString("error_type"))
        .containsExactlyInAnyOrder("INVALID_JSON", "VALIDATION_ERROR", "VALIDATION_ERROR", "UNKNOWN_EVENT_TYPE");
    assertThat(letters).extracting(letter -> new JsonObject(new String(letter.value(), StandardCharsets.UTF_8)))
        .filteredOn(value -> "INVALID_JSON".equals(value.getString("error_type")))
        .singleElement().satisfies(value -> assertThat(value.getString("original_message")).isEqualTo("{this is not json"));
  }

  private static String keyOf(ConsumerRecord<byte[], byte[]> record) {
    return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("an operation address answers a direct request with rows_affected and its own time, and a resend affects nothing")
  void operationAddressesAnswerDirectRequests(VertxTestContext test) {
    UUID correlation = UUID.randomUUID();
    JsonObject request = new JsonObject()
        .put("operation_type", "persist_bridge_state")
        .put("correlation_id", correlation.toString())
        .put("bridge_state_data", new JsonObject()
            .put("bridge_id", UUID.randomUUID().toString())
            .put("namespace", "production")
            .put("total_workflows_processed", 1500)
            .put("total_items_aggregated", 45000)
            .put("current_fsm_state", "ACTIVE")
            .put("last_aggregation_timestamp", T0.toString()));
    long sent = System.nanoTime();

    request(Addresses.PERSIST_BRIDGE_STATE, request)
        .compose(first -> {
          long roundTripMs = Duration.ofNanos(System.nanoTime() - sent).toMillis();
          assertThat(first.getBoolean("success")).isTrue();
          assertThat(first.getString("operation_type")).isEqualTo("persist_bridge_state");
          assertThat(first.getString("correlation_id")).isEqualTo(correlation.toString());
          assertThat(first.getInteger("rows_affected")).isEqualTo(1);
          assertThat(first.getValue("execution_time_ms")).as("whole milliseconds, within the test's own round trip")
              .isInstanceOf(Long.class).satisfies(ms -> assertThat((Long) ms).isBetween(0L, roundTripMs));
          assertThat(first.containsKey("error_message")).isTrue();
          return request(Addresses.PERSIST_BRIDGE_STATE, request);
        })
        .onComplete(test.succeeding(again -> test.verify(() -> {
          assertThat(again.getBoolean("success")).isTrue();
          assertThat(again.getInteger("rows_affected")).isZero();
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("every operation address answers; an invalid request gets success=false naming the field")
  void everyOperationAddressAnswers(VertxTestContext test) {
    UUID workflow = UUID.randomUUID();
    Map<String, JsonObject> requests = Map.of(
        Addresses.PERSIST_WORKFLOW_EXECUTION, new JsonObject().put("correlation_id", workflow.toString())
            .put("workflow_execution_data", new JsonObject().put("workflow_type", "metadata_stamping")
                .put("current_state", "PROCESSING").put("namespace", "default")),
        Addresses.PERSIST_WORKFLOW_STEP, new JsonObject().put("correlation_id", workflow.toString())
            .put("workflow_step_data", new JsonObject().put("step_name", "s").put("step_status", "DONE")),
        Addresses.PERSIST_METADATA_STAMP, new JsonObject().put("correlation_id", workflow.toString())
            .put("metadata_stamp_data", new JsonObject().put("file_hash", "cafe").put("namespace", "default")
                .put("stamp_data", new JsonObject())),
        Addresses.PERSIST_FSM_TRANSITION, new JsonObject().put("fsm_transition_data", new JsonObject()
            .put("entity_id", workflow.toString()).put("entity_type", "workflow").put("to_state", "A")
            .put("transition_event", "go")),
        Addresses.UPDATE_NODE_HEARTBEAT, new JsonObject().put("node_heartbeat_data", new JsonObject()
            .put("node_id", "direct-" + workflow).put("health_status", "HEALTHY")));

    Future<Void> answered = Future.succeededFuture();
    for (Map.Entry<String, JsonObject> entry : requests.entrySet()) { // one after another, as before
      answered = answered.compose(previous -> request(entry.getKey(), entry.getValue())).map(reply -> {
        assertThat(reply.getBoolean("success")).as(entry.getKey() + " " + reply).isTrue();
        assertThat(reply.getInteger("rows_affected")).as(entry.getKey()).isEqualTo(1);
        return null;
      });
    }
    answered
        .compose(all -> request(Addresses.PERSIST_FSM_TRANSITION,
            new JsonObject().put("fsm_transition_data", new JsonObject().put("entity_id", "nope"))))
        .onComplete(test.succeeding(invalid -> test.verify(() -> {
          assertThat(invalid.getBoolean("success")).isFalse();
          assertThat(invalid.getString("error_type")).isEqualTo("VALIDATION_ERROR");
          assertThat(invalid.getString("error_message")).contains("fsm_transition_data.entity_id");
          test.completeNow();
        })));
  }

  private static Future<JsonObject> request(String address, JsonObject body) {
    return adapter.vertx.eventBus().<JsonObject>request(address, body).map(Message::body);
  }
}
