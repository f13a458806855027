package io.omninode.bridge.adapter.ingest;

import io.omninode.bridge.adapter.config.ValidationSettings;
import io.omninode.bridge.adapter.contract.ErrorType;
import io.omninode.bridge.adapter.contract.OperationResult;
import io.omninode.bridge.adapter.deadletter.RedriveHeaders;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("An event that fails again after a redrive is dead-lettered with its retry count incremented")
class RedrivenDeadLetterTest {

  private static final String TOPIC = "dev.omninode-bridge.orchestrator.step-completed.v1";
  private final EnvelopeDecoder decoder = new EnvelopeDecoder(ValidationSettings.DEFAULTS);

  private static ConsumerRecord<byte[], byte[]> record(byte[] value, String redriveRetryCount) {
    RecordHeaders headers = new RecordHeaders();
    if (redriveRetryCount != null) {
      headers.add(new RecordHeader(RedriveHeaders.RETRY_COUNT, redriveRetryCount.getBytes(StandardCharsets.UTF_8)));
    }
    return new ConsumerRecord<>(TOPIC, 0, 5L, 0L, TimestampType.CREATE_TIME, 0, value.length, null, value, headers,
        Optional.empty());
  }

  private static byte[] step() {
    return new JsonObject().put("event_id", UUID.randomUUID().toString()).put("event_type", "STEP_COMPLETED")
        .put("payload", new JsonObject().put("workflow_step_data", new JsonObject())).encode()
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("rejected by the decoder: the count the redrive gave it")
  void decoderRejectionKeepsTheRedriveCount() {
    ConsumerRecord<byte[], byte[]> notJson = record("{".getBytes(StandardCharsets.UTF_8), "2");
    Decoded.Rejected rejected = (Decoded.Rejected) decoder.decode(TOPIC, notJson.value(), 0L);

    assertThat(rejected.deadLetter(notJson).retryCount()).isEqualTo(2);
    assertThat(rejected.deadLetter(record(notJson.value(), null)).retryCount()).as("never redriven").isZero();
  }

  @Test
  @DisplayName("refused by its operation: the redrive's count plus this pass's transient retries")
  void operationRefusalAddsThisPassesRetries() {
    ConsumerRecord<byte[], byte[]> redriven = record(step(), "2");
    Decoded.Accepted event = (Decoded.Accepted) decoder.decode(TOPIC, redriven.value(), System.currentTimeMillis());
    OperationResult refused = OperationResult.failed(event.request().type(), null, 1, ErrorType.VALIDATION_ERROR,
        "workflow_step_data.step_name: is required");

    assertThat(new Delivery(event, redriven, null, 3).refusedBy(refused).retryCount()).isEqualTo(5);
    assertThat(new Delivery(event, record(redriven.value(), null), null, 3).refusedBy(refused).retryCount())
        .as("never redriven").isEqualTo(3);
  }
}
