package io.omninode.bridge.adapter.batching;

import io.omninode.bridge.adapter.contract.ResultPath;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("A statement's log line names the partitions its events came from and their highest attempt")
class StatementSourcesTest {

  private static ResultPath.Call<Object> call(String topic, int partition, int attempt) {
    return new ResultPath.Call<>(null, new ResultPath.Source(topic, partition, attempt), null, null);
  }

  @Test
  @DisplayName("the partitions once each, sorted, and the highest attempt")
  void partitionsOnceEachAndTheHighestAttempt() {
    StatementSources sources = StatementSources.of(Stream.of(call("b", 1, 1), call("a", 0, 3), call("b", 1, 2)));

    assertThat(sources.partitions()).containsExactly("a-0", "b-1");
    assertThat(sources.attempt()).isEqualTo(3);
  }

  @Test
  @DisplayName("a request from elsewhere on the event bus has no partition and counts as a first try")
  void directRequestsHaveNoPartition() {
    StatementSources sources = StatementSources.of(Stream.of(new JsonObject().put("operation_type", "x")));

    assertThat(sources.partitions()).isEqualTo(List.of());
    assertThat(sources.attempt()).isEqualTo(1);
  }
}
