package io.omninode.bridge.adapter.operation;

import io.omninode.bridge.adapter.config.ValidationSettings;
import io.omninode.bridge.adapter.contract.Envelopes;
import io.omninode.bridge.adapter.contract.OperationType;
import io.omninode.bridge.adapter.testsupport.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each operation's statements against the real PostgreSQL, no broker: every column a request
 * names lands in its own column (each value is distinct, so a pair of swapped binds fails here),
 * and writing the same rows again changes nothing.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Each operation's statements against the real PostgreSQL")
class OperationStatementsTest {

  private static final String T1 = "2026-11-24T10:00:01Z";
  private static final String T2 = "2026-11-24T10:00:02Z";
  private static final String T3 = "2026-11-24T10:00:03Z";

  private static Vertx vertx;
  private static TestDatabase database;
  private static Pool pool;
  private final Workflows workflows = new Workflows();

  @BeforeAll
  static void createDatabase(Vertx shared) throws Exception {
    vertx = shared; // closed by the extension, with the pool, after the last test
    database = TestDatabase.migrated("statements");
    pool = database.pool(vertx);
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    database.close();
  }

  /** Validates the request as the operation's verticle would, then writes it on its own. */
  private static <R> Future<int[]> persist(Operation<R> operation, JsonObject... requests) {
    List<R> rows = java.util.Arrays.stream(requests).map(request -> operation.toRow(
        Envelopes.fromRequest(operation.type(), request, ValidationSettings.DEFAULTS))).toList();
    return operation.persist(pool, rows);
  }

  private static JsonObject request(OperationType type, String eventType, String timestamp, JsonObject data) {
    return new JsonObject().put("event_id", UUID.randomUUID().toString()).put("event_type", eventType)
        .put("timestamp", timestamp).put(type.dataField(), data);
  }

  /** The one row {@code sql} finds, read with JDBC on a worker thread. */
  private static Future<Map<String, String>> onlyRow(String sql) {
    return vertx.executeBlocking(() -> {
      List<Map<String, String>> rows = database.rows(sql);
      assertThat(rows).hasSize(1);
      return rows.get(0);
    });
  }

  @Test
  @DisplayName("a start and an end of a workflow: every field in its column, the end's winning where it owns them")
  void workflowExecutionColumns(VertxTestContext test) {
    UUID workflow = UUID.randomUUID();
    Operation<?> executions = new PersistWorkflowExecution(workflows);
    JsonObject start = request(OperationType.PERSIST_WORKFLOW_EXECUTION, "WORKFLOW_STARTED", T1, new JsonObject()
        .put("correlation_id", workflow.toString()).put("workflow_type", "type-a").put("current_state", "state-b")
        .put("namespace", "namespace-c").put("started_at", T2).put("metadata", new JsonObject().put("from", "start")));
    JsonObject end = request(OperationType.PERSIST_WORKFLOW_EXECUTION, "WORKFLOW_FAILED", T3, new JsonObject()
        .put("correlation_id", workflow.toString()).put("current_state", "state-d").put("completed_at", T3)
        .put("execution_time_ms", 4_321).put("error_message", "error-e").put("metadata", new JsonObject().put("to", "end")));

    persist(executions, start)
        .compose(started -> {
          assertThat(started).containsExactly(1);
          return persist(executions, end);
        })
        .compose(ended -> {
          assertThat(ended).containsExactly(1);
          return onlyRow("SELECT * FROM workflow_executions WHERE correlation_id = '" + workflow + "'");
        })
        .onComplete(test.succeeding(row -> test.verify(() -> {
          assertThat(row).containsEntry("workflow_type", "type-a").containsEntry("current_state", "state-d")
              .containsEntry("namespace", "namespace-c").containsEntry("started_at", "2026-11-24 10:00:02+00")
              .containsEntry("completed_at", "2026-11-24 10:00:03+00").containsEntry("execution_time_ms", "4321")
              .containsEntry("error_message", "error-e").containsEntry("updated_at", "2026-11-24 10:00:03+00");
          assertThat(new JsonObject(row.get("metadata"))).isEqualTo(new JsonObject().put("from", "start").put("to", "end"));
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("a step: every field in its column, linked to its workflow, written once")
  void workflowStepColumns(VertxTestContext test) {
    UUID workflow = UUID.randomUUID();
    JsonObject step = request(OperationType.PERSIST_WORKFLOW_STEP, "STEP_COMPLETED", T1, new JsonObject()
        .put("workflow_id", workflow.toString()).put("step_name", "name-a").put("step_order", 7).put("status", "status-b")
        .put("execution_time_ms", 11).put("error_message", "error-c").put("step_data", new JsonObject().put("k", "d")));

    persist(new PersistWorkflowStep(workflows), step)
        .compose(first -> {
          assertThat(first).containsExactly(1);
          return persist(new PersistWorkflowStep(workflows), step);
        })
        .compose(again -> {
          assertThat(again).as("written again: nothing changes").containsExactly(0);
          return onlyRow("SELECT s.*, w.correlation_id FROM workflow_steps s JOIN workflow_executions w "
              + "ON w.id = s.workflow_id WHERE w.correlation_id = '" + workflow + "'");
        })
        .compose(row -> {
          assertThat(row).containsEntry("step_name", "name-a").containsEntry("step_order", "7")
              .containsEntry("status", "status-b").containsEntry("execution_time_ms", "11")
              .containsEntry("error_message", "error-c").containsEntry("created_at", "2026-11-24 10:00:01+00");
          assertThat(new JsonObject(row.get("step_data"))).isEqualTo(new JsonObject().put("k", "d"));
          return onlyRow("SELECT workflow_type, current_state FROM workflow_executions WHERE correlation_id = '"
              + workflow + "'");
        })
        .onComplete(test.succeeding(execution -> test.verify(() -> {
          assertThat(execution).as("a placeholder until the start arrives")
              .containsEntry("workflow_type", "UNKNOWN").containsEntry("current_state", "PENDING");
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("a stamp: every field in its column, linked to its workflow's row")
  void metadataStampColumns(VertxTestContext test) {
    UUID workflow = UUID.randomUUID();
    JsonObject stamp = request(OperationType.PERSIST_METADATA_STAMP, "STAMP_CREATED", T2, new JsonObject()
        .put("workflow_correlation_id", workflow.toString()).put("file_hash", "hash-a").put("namespace", "namespace-b")
        .put("stamp_data", new JsonObject().put("k", "c")));

    persist(new PersistMetadataStamp(workflows), stamp)
        .compose(written -> {
          assertThat(written).containsExactly(1);
          return onlyRow("SELECT m.*, w.correlation_id AS workflow FROM metadata_stamps m "
              + "JOIN workflow_executions w ON w.id = m.workflow_correlation_id WHERE w.correlation_id = '" + workflow + "'");
        })
        .onComplete(test.succeeding(row -> test.verify(() -> {
          assertThat(row).containsEntry("file_hash", "hash-a").containsEntry("namespace", "namespace-b")
              .containsEntry("created_at", "2026-11-24 10:00:02+00");
          assertThat(new JsonObject(row.get("stamp_data"))).isEqualTo(new JsonObject().put("k", "c"));
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("a transition: every field in its column, written once")
  void fsmTransitionColumns(VertxTestContext test) {
    UUID entity = UUID.randomUUID();
    JsonObject transition = request(OperationType.PERSIST_FSM_TRANSITION, "STATE_TRANSITION", T3, new JsonObject()
        .put("entity_id", entity.toString()).put("entity_type", "type-a").put("from_state", "from-b")
        .put("to_state", "to-c").put("transition_event", "event-d").put("transition_data", new JsonObject().put("k", "e")));

    persist(new PersistFsmTransition(), transition, transition)
        .compose(written -> {
          assertThat(written).as("the same event twice in a batch").containsExactly(1, 0);
          return onlyRow("SELECT * FROM fsm_transitions WHERE entity_id = '" + entity + "'");
        })
        .onComplete(test.succeeding(row -> test.verify(() -> {
          assertThat(row).containsEntry("entity_type", "type-a").containsEntry("from_state", "from-b")
              .containsEntry("to_state", "to-c").containsEntry("transition_event", "event-d")
              .containsEntry("created_at", "2026-11-24 10:00:03+00");
          assertThat(new JsonObject(row.get("transition_data"))).isEqualTo(new JsonObject().put("k", "e"));
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("an aggregation: every field in its column; of two in one batch only the newest is written")
  void bridgeStateColumns(VertxTestContext test) {
    UUID bridge = UUID.randomUUID();
    JsonObject older = aggregation(bridge, 5, 50, "state-old", T1);
    JsonObject newer = aggregation(bridge, 6, 60, "state-new", T2);

    persist(new PersistBridgeState(), newer, older)
        .compose(both -> {
          assertThat(both).containsExactly(1, 0);
          return persist(new PersistBridgeState(), older);
        })
        .compose(stale -> {
          assertThat(stale).as("a stale one later changes nothing").containsExactly(0);
          return onlyRow("SELECT * FROM bridge_states WHERE bridge_id = '" + bridge + "'");
        })
        .onComplete(test.succeeding(row -> test.verify(() -> {
          assertThat(row).containsEntry("namespace", "namespace-state-new").containsEntry("total_workflows_processed", "6")
              .containsEntry("total_items_aggregated", "60").containsEntry("current_fsm_state", "state-new")
              .containsEntry("last_aggregation_timestamp", "2026-11-24 10:00:02+00");
          assertThat(new JsonObject(row.get("aggregation_metadata"))).isEqualTo(new JsonObject().put("k", "state-new"));
          test.completeNow();
        })));
  }

  private static JsonObject aggregation(UUID bridge, int workflows, int items, String state, String at) {
    return request(OperationType.PERSIST_BRIDGE_STATE, "STATE_AGGREGATION_COMPLETED", at, new JsonObject()
        .put("bridge_id", bridge.toString()).put("namespace", "namespace-" + state)
        .put("total_workflows_processed", workflows).put("total_items_aggregated", items)
        .put("current_fsm_state", state).put("last_aggregation_timestamp", at)
        .put("aggregation_metadata", new JsonObject().put("k", state)));
  }

  @Test
  @DisplayName("a heartbeat: every field in its column, a node nobody registered gets a row")
  void nodeHeartbeatColumns(VertxTestContext test) {
    String node = "node-" + UUID.randomUUID();
    JsonObject heartbeat = request(OperationType.UPDATE_NODE_HEARTBEAT, "NODE_HEARTBEAT", T1, new JsonObject()
        .put("node_id", node).put("node_type", "type-a").put("node_version", "version-b").put("health_status", "health-c")
        .put("capabilities", new JsonObject().put("k", "d")).put("endpoints", new JsonObject().put("k", "e"))
        .put("metadata", new JsonObject().put("k", "f")).put("last_heartbeat", T3));

    persist(new UpdateNodeHeartbeat(), heartbeat)
        .compose(first -> {
          assertThat(first).containsExactly(1);
          return persist(new UpdateNodeHeartbeat(), heartbeat);
        })
        .compose(again -> {
          assertThat(again).as("not newer than the stored one").containsExactly(0);
          return onlyRow("SELECT * FROM node_registrations WHERE node_id = '" + node + "'");
        })
        .onComplete(test.succeeding(row -> test.verify(() -> {
          assertThat(row).containsEntry("node_type", "type-a").containsEntry("node_version", "version-b")
              .containsEntry("health_status", "health-c").containsEntry("last_heartbeat", "2026-11-24 10:00:03+00");
          assertThat(new JsonObject(row.get("capabilities"))).isEqualTo(new JsonObject().put("k", "d"));
          assertThat(new JsonObject(row.get("endpoints"))).isEqualTo(new JsonObject().put("k", "e"));
          assertThat(new JsonObject(row.get("metadata"))).isEqualTo(new JsonObject().put("k", "f"));
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("a step of a started workflow points to the start's row; a row deleted since is found again, by a retry")
  void stepsFollowTheWorkflowRowEvenWhenItIsReplaced(VertxTestContext test) {
    UUID workflow = UUID.randomUUID();
    JsonObject start = request(OperationType.PERSIST_WORKFLOW_EXECUTION, "WORKFLOW_STARTED", T1, new JsonObject()
        .put("correlation_id", workflow.toString()).put("workflow_type", "type-a").put("namespace", "namespace-b"));
    JsonObject second = step(workflow, "second");
    persist(new PersistWorkflowExecution(workflows), start)
        .compose(started -> persist(new PersistWorkflowStep(workflows), step(workflow, "first")))
        .compose(first -> onlyRow("SELECT s.workflow_id, w.id FROM workflow_steps s, workflow_executions w "
            + "WHERE s.step_name = 'first' AND w.correlation_id = '" + workflow + "'"))
        .compose(first -> {
          assertThat(first.get("workflow_id")).as("the step points to the start's row").isEqualTo(first.get("id"));
          return vertx.executeBlocking(() -> {
            database.execute("DELETE FROM workflow_executions WHERE correlation_id = '" + workflow + "'");
            return workflow;
          });
        })
        .compose(deleted -> persist(new PersistWorkflowStep(workflows), second))
        .transform(retried -> {
          assertThat(retried.cause()).as("the remembered row is gone: a foreign-key failure, which the consumer retries")
              .hasMessageContaining("23503");
          return persist(new PersistWorkflowStep(workflows), second);
        })
        .compose(written -> {
          assertThat(written).containsExactly(1);
          return onlyRow("SELECT current_state FROM workflow_executions WHERE correlation_id = '" + workflow + "'");
        })
        .onComplete(test.succeeding(execution -> test.verify(() -> {
          assertThat(execution).as("a placeholder again").containsEntry("current_state", "PENDING");
          test.completeNow();
        })));
  }

  private static JsonObject step(UUID workflow, String name) {
    return request(OperationType.PERSIST_WORKFLOW_STEP, "STEP_COMPLETED", T2, new JsonObject()
        .put("workflow_id", workflow.toString()).put("step_name", name).put("step_order", 1).put("status", "DONE"));
  }
}
