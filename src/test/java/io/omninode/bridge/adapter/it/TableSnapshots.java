package io.omninode.bridge.adapter.it;

import io.omninode.bridge.adapter.testsupport.TestDatabase;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The adapter's six tables as a test compares them: row counts, every row as stored, or the business columns. */
final class TableSnapshots {

  static final List<String> TABLES = List.of("workflow_executions", "workflow_steps", "metadata_stamps",
      "fsm_transitions", "bridge_states", "node_registrations");

  /** Each table's rows in key order, with foreign keys shown as correlation ids, comparable across databases. */
  private static final Map<String, String> PORTABLE_SNAPSHOT = Map.of(
      "workflow_executions", """
          SELECT correlation_id, workflow_type, current_state, namespace, started_at, completed_at, execution_time_ms,
                 error_message, metadata, updated_at FROM workflow_executions ORDER BY correlation_id""",
      "workflow_steps", """
          SELECT s.id, w.correlation_id, s.step_name, s.step_order, s.status, s.execution_time_ms, s.step_data,
                 s.error_message, s.created_at
          FROM workflow_steps s JOIN workflow_executions w ON w.id = s.workflow_id ORDER BY s.id""",
      "metadata_stamps", """
          SELECT m.id, w.correlation_id, m.file_hash, m.stamp_data, m.namespace, m.created_at
          FROM metadata_stamps m LEFT JOIN workflow_executions w ON w.id = m.workflow_correlation_id ORDER BY m.id""",
      "fsm_transitions", "SELECT * FROM fsm_transitions ORDER BY id",
      "bridge_states", """
          SELECT bridge_id, namespace, total_workflows_processed, total_items_aggregated, aggregation_metadata,
                 current_fsm_state, last_aggregation_timestamp, updated_at FROM bridge_states ORDER BY bridge_id""",
      "node_registrations", """
          SELECT node_id, node_type, node_version, capabilities, endpoints, metadata, health_status, last_heartbeat,
                 updated_at FROM node_registrations ORDER BY node_id""");

  private final TestDatabase db;

  TableSnapshots(TestDatabase db) {
    this.db = db;
  }

  /** Rows in each table, in {@link #TABLES} order. */
  Map<String, Long> counts() throws SQLException {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String table : TABLES) {
      counts.put(table, db.count(table));
    }
    return counts;
  }

  /** Every row of every table, exactly as stored. */
  Map<String, List<Map<String, String>>> full() throws SQLException {
    Map<String, List<Map<String, String>>> snapshot = new LinkedHashMap<>();
    for (String table : TABLES) {
      snapshot.put(table, db.rows("SELECT * FROM " + table + " ORDER BY 1"));
    }
    return snapshot;
  }

  /** Every business column of every table, comparable between two databases. */
  Map<String, List<Map<String, String>>> portable() throws SQLException {
    Map<String, List<Map<String, String>>> snapshot = new LinkedHashMap<>();
    for (String table : TABLES) {
      snapshot.put(table, db.rows(PORTABLE_SNAPSHOT.get(table)));
    }
    return snapshot;
  }
}
