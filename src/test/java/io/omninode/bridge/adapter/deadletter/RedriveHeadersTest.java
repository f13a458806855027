package io.omninode.bridge.adapter.deadletter;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RedriveHeadersTest {

  private static ConsumerRecord<byte[], byte[]> withHeaders(String... keysAndValues) {
    RecordHeaders headers = new RecordHeaders();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      headers.add(new RecordHeader(keysAndValues[i],
          keysAndValues[i + 1] == null ? null : keysAndValues[i + 1].getBytes(StandardCharsets.UTF_8)));
    }
    return new ConsumerRecord<>("t", 0, 0L, 0L, TimestampType.CREATE_TIME, 0, 0, null, new byte[0], headers,
        Optional.empty());
  }

  @Test
  @DisplayName("a record never redriven has retry count 0 and was not redriven")
  void recordNeverRedrivenCountsZero() {
    ConsumerRecord<byte[], byte[]> plain = withHeaders("trace", "abc");

    assertThat(RedriveHeaders.retryCount(plain)).isZero();
    assertThat(RedriveHeaders.wasRedriven(plain)).isFalse();
  }

  @Test
  @DisplayName("a redriven record brings its retry count along")
  void redrivenRecordBringsItsCount() {
    ConsumerRecord<byte[], byte[]> redriven = withHeaders(RedriveHeaders.RETRY_COUNT, "3");

    assertThat(RedriveHeaders.retryCount(redriven)).isEqualTo(3);
    assertThat(RedriveHeaders.wasRedriven(redriven)).isTrue();
  }

  @Test
  @DisplayName("with the header twice, the last one counts")
  void lastHeaderCounts() {
    assertThat(RedriveHeaders.retryCount(withHeaders(RedriveHeaders.RETRY_COUNT, "1", RedriveHeaders.RETRY_COUNT, "2")))
        .isEqualTo(2);
  }

  @Test
  @DisplayName("a count someone else wrote wrong counts as none instead of failing the event")
  void malformedCountIsZero() {
    for (String wrong : Arrays.asList("", "two", "-4", "99999999999", null)) {
      assertThat(RedriveHeaders.retryCount(withHeaders(RedriveHeaders.RETRY_COUNT, wrong))).as(String.valueOf(wrong))
          .isZero();
    }
  }
}
