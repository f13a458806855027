package io.omninode.bridge.adapter.deadletter;

import io.vertx.kafka.client.producer.KafkaHeader;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;

import java.util.List;
import java.util.Map;

/**
 * The largest record the dead-letter producer sends, and a record's size counted as the producer
 * counts it before it refuses one with {@code RecordTooLargeException}: the upper bound of a batch
 * holding that record alone (batch and record overhead, key, value, headers).
 *
 * @param maxBytes the producer's {@code max.request.size}, or its {@code buffer.memory} if smaller
 */
public record RecordLimit(int maxBytes) {

  /**
   * Room left for what the adapter does not see: producer interceptors configured through
   * {@code kafka.client} (tracing, say) may add headers after the record is sized.
   */
  static final int SAFETY_MARGIN_BYTES = 1024;

  /** The limit of a producer with these properties; the client's defaults for those not set. */
  public static RecordLimit of(Map<String, Object> producerConfig) {
    int maxRequestSize = (Integer) setting(producerConfig, ProducerConfig.MAX_REQUEST_SIZE_CONFIG, ConfigDef.Type.INT);
    long bufferMemory = (Long) setting(producerConfig, ProducerConfig.BUFFER_MEMORY_CONFIG, ConfigDef.Type.LONG);
    return new RecordLimit((int) Math.min(maxRequestSize, bufferMemory));
  }

  /** This limit or {@code bytes}, whichever is smaller. */
  RecordLimit atMost(int bytes) {
    return new RecordLimit(Math.min(maxBytes, bytes));
  }

  /** Bytes left for more value, with the safety margin kept; negative when the record is already too large. */
  int room(byte[] key, byte[] value, List<KafkaHeader> headers) {
    return maxBytes - SAFETY_MARGIN_BYTES - sizeOf(key, value, headers);
  }

  boolean fits(byte[] key, byte[] value, List<KafkaHeader> headers) {
    return room(key, value, headers) >= 0;
  }

  /** The current record format (v2) counts the most; compression does not change the producer's count. */
  static int sizeOf(byte[] key, byte[] value, List<KafkaHeader> headers) {
    Header[] kafkaHeaders = headers.stream()
        .map(header -> new RecordHeader(header.key(), header.value().getBytes()))
        .toArray(Header[]::new);
    return AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE,
        key, value, kafkaHeaders);
  }

  private static Object setting(Map<String, Object> config, String name, ConfigDef.Type type) {
    Object value = config.get(name);
    return ConfigDef.parseType(name, value != null ? value : ProducerConfig.configDef().defaultValues().get(name), type);
  }
}
