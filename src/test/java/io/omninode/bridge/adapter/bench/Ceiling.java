package io.omninode.bridge.adapter.bench;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

/**
 * What PostgreSQL alone accepts on this machine: the run's rows (executions, then steps, transitions
 * and stamps in the same proportions) written with COPY from one connection, in chunks, into an
 * empty copy of the schema. The adapter's throughput reads as a fraction of this.
 */
final class Ceiling {

  private static final int CHUNK = 20_000;

  private Ceiling() {
  }

  /** Rows per second for as many rows as {@code expectedRows} holds. */
  static double rowsPerSecond(Connection connection, Map<String, Long> expectedRows) throws SQLException {
    CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
    long workflows = Math.max(1, expectedRows.get("workflow_executions"));
    long start = System.nanoTime();
    long rows = copyRows(copy, "COPY workflow_executions (id, correlation_id, workflow_type, current_state, namespace, "
        + "started_at, metadata) FROM STDIN (FORMAT csv)", workflows,
        i -> id("e", i) + "," + id("c", i) + ",metadata_stamping,PROCESSING,omninode.bench,2026-11-24 10:00:00+00,"
            + "\"{\"\"source\"\": \"\"bench\"\"}\"");
    rows += copyRows(copy, "COPY workflow_steps (id, workflow_id, step_name, step_order, status, execution_time_ms, "
        + "step_data, created_at) FROM STDIN (FORMAT csv)", expectedRows.get("workflow_steps"),
        i -> id("s", i) + "," + id("e", i % workflows) + ",step_" + i + "," + i + ",COMPLETED,12,"
            + "\"{\"\"bytes\"\": 1024}\",2026-11-24 10:00:00+00");
    rows += copyRows(copy, "COPY fsm_transitions (id, entity_id, entity_type, from_state, to_state, transition_event, "
        + "transition_data, created_at) FROM STDIN (FORMAT csv)", expectedRows.get("fsm_transitions"),
        i -> id("t", i) + "," + id("c", i % workflows) + ",workflow,STEP_1,STEP_2,advance,"
            + "\"{\"\"step\"\": 1}\",2026-11-24 10:00:00+00");
    rows += copyRows(copy, "COPY metadata_stamps (id, workflow_correlation_id, file_hash, stamp_data, namespace, "
        + "created_at) FROM STDIN (FORMAT csv)", expectedRows.get("metadata_stamps"),
        i -> id("m", i) + "," + id("e", i % workflows) + ",hash" + i + ",\"{}\",omninode.bench,2026-11-24 10:00:00+00");
    return rows / ((System.nanoTime() - start) / 1e9);
  }

  private static long copyRows(CopyManager copy, String sql, long count, java.util.function.LongFunction<String> row)
      throws SQLException {
    try {
      for (long from = 0; from < count; from += CHUNK) {
        StringBuilder csv = new StringBuilder();
        for (long i = from; i < Math.min(count, from + CHUNK); i++) {
          csv.append(row.apply(i)).append('\n');
        }
        copy.copyIn(sql, new StringReader(csv.toString()));
      }
      return count;
    } catch (java.io.IOException e) {
      throw new SQLException(e);
    }
  }

  private static String id(String kind, long i) {
    return UUID.nameUUIDFromBytes((kind + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
  }
}
