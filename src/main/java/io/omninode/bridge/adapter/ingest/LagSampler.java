package io.omninode.bridge.adapter.ingest;

import io.omninode.bridge.adapter.metrics.AdapterMetrics;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.Map;

/**
 * The consumer lag, records behind the log end per assigned partition: read from the native consumer
 * on the poll thread ({@link #read}, at most every 200 ms: polls come by the hundred a second), and
 * taken on the event loop at each commit tick ({@link #sample}) into {@code bridge_consumer_lag_records}
 * and the trend the health check watches.
 */
final class LagSampler {

  private static final long READ_INTERVAL_NANOS = 200_000_000;

  private final AdapterMetrics metrics;
  private final LagTrend trend = new LagTrend();
  /** Written on the poll thread, read on the event loop. */
  private volatile Map<String, Long> read = Map.of();
  /** Poll thread only. */
  private long readAtNanos;
  /** Event loop only. */
  private Map<String, Long> sampled = Map.of();

  LagSampler(AdapterMetrics metrics) {
    this.metrics = metrics;
  }

  /** On the poll thread, after a poll: the lag of every assigned partition, unless it was read just now. */
  void read(Consumer<?, ?> consumer) {
    long now = System.nanoTime();
    if (now - readAtNanos <= READ_INTERVAL_NANOS) {
      return;
    }
    readAtNanos = now;
    Map<String, Long> lag = new HashMap<>();
    for (TopicPartition partition : consumer.assignment()) {
      consumer.currentLag(partition).ifPresent(behind -> lag.put(partition.toString(), behind));
    }
    read = Map.copyOf(lag);
  }

  /** On the event loop: the lag last read becomes the metric's and the trend's. */
  void sample() {
    sampled = read;
    metrics.consumerLag(sampled);
    trend.sample(sampled.values().stream().mapToLong(Long::longValue).sum());
  }

  /** Records behind per partition ({@code topic-partition}), as last read on the poll thread. */
  Map<String, Long> latest() {
    return read;
  }

  /** The {@code lag}, {@code lag_total} and {@code lag_growing} of the consumer's stats. */
  void addTo(JsonObject stats) {
    JsonObject lag = new JsonObject();
    sampled.forEach(lag::put);
    stats.put("lag", lag).put("lag_total", trend.latest()).put("lag_growing", trend.isGrowing());
  }

  /** The total consumer lag over the last few samples: growing when it rose at every one of them. */
  static final class LagTrend {

    private static final int SAMPLES = 5;

    private final long[] totals = new long[SAMPLES];
    private int taken;

    void sample(long total) {
      totals[taken % SAMPLES] = total;
      taken++;
    }

    long latest() {
      return taken == 0 ? 0 : totals[(taken - 1) % SAMPLES];
    }

    boolean isGrowing() {
      if (taken < SAMPLES) {
        return false;
      }
      for (int i = 1; i < SAMPLES; i++) {
        if (totals[(taken - SAMPLES + i) % SAMPLES] <= totals[(taken - SAMPLES + i - 1) % SAMPLES]) {
          return false;
        }
      }
      return true;
    }
  }
}
