package io.omninode.bridge.adapter.operation;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A batch reduced to its newest row per key, for the operations that update one row per key (a
 * statement may not update the same row twice). Kept in key order, so that concurrent statements
 * lock rows in one order; the older rows of a key count as not written.
 */
final class NewestPerKey<K extends Comparable<K>, R> {

  private final Map<K, R> newest = new TreeMap<>();
  private final Function<R, K> key;

  NewestPerKey(List<R> batch, Function<R, K> key, Comparator<R> order) {
    this.key = key;
    batch.forEach(row -> newest.merge(key.apply(row), row, (kept, next) -> order.compare(kept, next) >= 0 ? kept : next));
  }

  /** The rows to write: one per key. */
  List<R> rows() {
    return List.copyOf(newest.values());
  }

  /** Per row of {@code batch}: 1 if it is its key's newest row and the statement returned its key. */
  int[] affected(List<R> batch, RowSet<Row> returned, Class<K> keyType) {
    Set<K> written = new HashSet<>();
    returned.forEach(row -> written.add(row.get(keyType, 0)));
    return batch.stream().mapToInt(row -> {
      K rowKey = key.apply(row);
      return newest.get(rowKey) == row && written.contains(rowKey) ? 1 : 0;
    }).toArray();
  }
}
