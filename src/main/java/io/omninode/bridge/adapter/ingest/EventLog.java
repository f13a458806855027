package io.omninode.bridge.adapter.ingest;

import io.omninode.bridge.adapter.deadletter.DeadLetter;
import io.omninode.bridge.adapter.metrics.PerformanceCategory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The log lines about one event: its rejection (ERROR, always) and its persistence (DEBUG, on request). */
final class EventLog {

  private static final Logger log = LoggerFactory.getLogger(KafkaConsumerVerticle.class);
  /** One line per persisted event at DEBUG: off unless an operator asks for it. */
  private static final Logger events = LoggerFactory.getLogger("io.omninode.bridge.adapter.events");

  private EventLog() {
  }

  /** Bad input, as a structured error line (with the stack trace of an adapter failure); it goes to the dead-letter topic next. */
  static void rejected(ConsumerRecord<byte[], byte[]> record, DeadLetter letter, Throwable cause) {
    log.atError().setCause(cause).addKeyValue("correlation_id", letter.errorContext().getString("correlation_id"))
        .addKeyValue("event_id", letter.errorContext().getString("event_id"))
        .addKeyValue("error_type", letter.errorType()).addKeyValue("error_context", letter.errorContext().getMap())
        .addKeyValue("topic", record.topic()).addKeyValue("partition", record.partition())
        .addKeyValue("offset", record.offset()).log("Event rejected: {}", letter.errorMessage());
  }

  /** {@code nowMs}: when it was found durable, for its time from the producer to PostgreSQL. */
  static void persisted(Delivery delivery, long nowMs) {
    if (events.isDebugEnabled()) {
      Decoded.Accepted event = delivery.event();
      long durationMs = nowMs - delivery.record().timestamp();
      events.atDebug().addKeyValue("correlation_id", event.correlationId())
          .addKeyValue("event_id", event.eventId())
          .addKeyValue("operation", event.type().operation().wireName()).addKeyValue("duration_ms", durationMs)
          .addKeyValue("performance_category", PerformanceCategory.of(durationMs)).log("Event persisted");
    }
  }
}
