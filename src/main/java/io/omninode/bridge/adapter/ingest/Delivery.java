package io.omninode.bridge.adapter.ingest;

import io.omninode.bridge.adapter.contract.LocalCall;
import io.omninode.bridge.adapter.contract.OperationResult;
import io.omninode.bridge.adapter.deadletter.DeadLetter;
import io.omninode.bridge.adapter.deadletter.RedriveHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One attempt to have an accepted event written: the event, its Kafka record and ticket, and how
 * often it was tried. While its result is awaited it sits in {@link AwaitingResults} (the links).
 */
final class Delivery {

  final Decoded.Accepted event;
  final ConsumerRecord<byte[], byte[]> record;
  final PartitionLedger.Ticket ticket;
  final int attempt;
  long sentAtNanos;
  Delivery newer;
  Delivery older;
  boolean awaited;

  Delivery(Decoded.Accepted event, ConsumerRecord<byte[], byte[]> record, PartitionLedger.Ticket ticket, int attempt) {
    this.event = event;
    this.record = record;
    this.ticket = ticket;
    this.attempt = attempt;
  }

  LocalCall.Source source() {
    return new LocalCall.Source(record.topic(), record.partition(), attempt + 1);
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
