package io.omninode.bridge.adapter.ingest;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** An accepted event on its way to its operation, its Kafka record and ticket, and how often it was tried. */
record Delivery(Decoded.Accepted event, ConsumerRecord<byte[], byte[]> record, PartitionLedger.Ticket ticket,
    int attempt) {

  Delivery next() {
    return new Delivery(event, record, ticket, attempt + 1);
  }
}
