package io.omninode.bridge.adapter.operation;

import io.omninode.bridge.adapter.validation.JsonText;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/** Column arrays for {@code unnest($1::uuid[], ...)} statements, and counting what they returned. */
final class Unnest {

  private Unnest() {
  }

  static <R> UUID[] uuids(List<R> rows, Function<R, UUID> column) {
    return rows.stream().map(column).toArray(UUID[]::new);
  }

  static <R> String[] strings(List<R> rows, Function<R, String> column) {
    return rows.stream().map(column).toArray(String[]::new);
  }

  static <R> String[] jsons(List<R> rows, Function<R, JsonText> column) {
    return rows.stream().map(column).map(json -> json == null ? null : json.text()).toArray(String[]::new);
  }

  static <R> Integer[] ints(List<R> rows, Function<R, Integer> column) {
    return rows.stream().map(column).toArray(Integer[]::new);
  }

  static <R> OffsetDateTime[] timestamps(List<R> rows, Function<R, OffsetDateTime> column) {
    return rows.stream().map(column).toArray(OffsetDateTime[]::new);
  }

  /**
   * Rows affected per input row, from the keys a statement RETURNING its key gave back; a key
   * that appears twice in the batch is counted once.
   */
  static <R, K> int[] affected(List<R> rows, Function<R, K> key, RowSet<Row> returned, Class<K> keyType) {
    Map<K, Integer> remaining = new HashMap<>();
    for (Row row : returned) {
      remaining.merge(row.get(keyType, 0), 1, Integer::sum);
    }
    int[] counts = new int[rows.size()];
    for (int i = 0; i < counts.length; i++) {
      Integer left = remaining.get(key.apply(rows.get(i)));
      if (left != null && left > 0) {
        counts[i] = 1;
        remaining.put(key.apply(rows.get(i)), left - 1);
      }
    }
    return counts;
  }
}
