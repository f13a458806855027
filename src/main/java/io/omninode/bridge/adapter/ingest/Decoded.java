package io.omninode.bridge.adapter.ingest;

import io.omninode.bridge.adapter.contract.ErrorType;
import io.omninode.bridge.adapter.contract.EventType;
import io.omninode.bridge.adapter.contract.OperationRequest;
import io.omninode.bridge.adapter.deadletter.DeadLetter;
import io.omninode.bridge.adapter.deadletter.RedriveHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What a Kafka record decodes to: an operation request for the event bus, or a named rejection. */
public sealed interface Decoded {

  /**
   * A well-formed envelope, turned into the request its operation answers: parsed once here and
   * handed over by reference, the operation validates only the payload.
   */
  record Accepted(OperationRequest request, long eventTimeMs) implements Decoded {

    Accepted(OperationRequest request) {
      this(request, request.eventTime().toInstant().toEpochMilli());
    }

    public EventType type() {
      return request.eventType();
    }

    public String correlationId() {
      return request.correlationId() == null ? null : request.correlationId().toString();
    }

    public String eventId() {
      return request.eventId().toString();
    }
  }

  /**
   * Bad input: the error type, the field at fault, the rule it broke and what is wrong with it, and
   * the envelope's correlation id when it could be read (for the logs).
   */
  record Rejected(ErrorType errorType, String field, String rule, String message, String correlationId)
      implements Decoded {

    Rejected(ErrorType errorType, String field, String rule, String message) {
      this(errorType, field, rule, message, null);
    }

    /** A redriven record keeps counting from the retries it had before. */
    DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> record) {
      return DeadLetter.of(errorType, message, field, rule, null, correlationId, RedriveHeaders.retryCount(record));
    }
  }
}
