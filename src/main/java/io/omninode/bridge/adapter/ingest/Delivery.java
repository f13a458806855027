package io.omninode.bridge.adapter.ingest;

import io.omninode.bridge.adapter.contract.OperationResult;
import io.omninode.bridge.adapter.contract.ResultPath;
import io.omninode.bridge.adapter.deadletter.DeadLetter;
import io.omninode.bridge.adapter.deadletter.RedriveHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One attempt to have an accepted event written: the event, its Kafka record and ticket, and how
 * often it was tried; the consumer's handle on it along its {@link ResultPath}.
 */
record Delivery(Decoded.Accepted event, ConsumerRecord<byte[], byte[]> record, PartitionLedger.Ticket ticket,
    int attempt) {

  ResultPath.Source source() {
    return new ResultPath.Source(record.topic(), record.partition(), attempt + 1);
  }

  Delivery next() {
    return new Delivery(event, record, ticket, attempt + 1);
  }

  /**
   * The letter of an event its operation refused for good (its fields broke a rule, or PostgreSQL refused a
   * value); a redriven event counts on from the retries it had before.
   */
  DeadLetter refusedBy(OperationResult result) {
    String field = result.errorField() != null ? result.errorField() : event.request().type().dataField();
    return DeadLetter.of(result.errorType(), result.errorMessage(), field, result.errorRule(), event.request(),
        event.correlationId(), RedriveHeaders.retryCount(record) + attempt);
  }
}
