package io.omninode.bridge.adapter.ingest;

import io.omninode.bridge.adapter.contract.OperationResult;
import io.omninode.bridge.adapter.deadletter.DeadLetter;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** An accepted event on its way to its operation, its Kafka record and ticket, and how often it was tried. */
record Delivery(Decoded.Accepted event, ConsumerRecord<byte[], byte[]> record, PartitionLedger.Ticket ticket,
    int attempt) {

  Delivery next() {
    return new Delivery(event, record, ticket, attempt + 1);
  }

  /** The letter of an event its operation refused for good (its fields broke a rule, or PostgreSQL refused a value). */
  DeadLetter refusedBy(OperationResult result) {
    String field = result.errorField() != null ? result.errorField() : event.request().type().dataField();
    return DeadLetter.of(result.errorType(), result.errorMessage(), field, result.errorRule(), event.request(),
        event.correlationId(), attempt);
  }
}
