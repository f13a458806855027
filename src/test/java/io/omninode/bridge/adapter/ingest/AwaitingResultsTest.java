package io.omninode.bridge.adapter.ingest;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Deliveries awaiting their results expire oldest first; a late result is told apart")
class AwaitingResultsTest {

  private final AwaitingResults awaiting = new AwaitingResults();

  private static Delivery delivery() {
    return new Delivery(null, null, null, 0);
  }

  @Test
  @DisplayName("only those sent longer ago than the timeout expire, oldest first; answered ones never")
  void expiresOnlyTheOldUnanswered() {
    Delivery first = delivery();
    Delivery second = delivery();
    Delivery third = delivery();
    awaiting.add(first, 100);
    awaiting.add(second, 200);
    awaiting.add(third, 300);

    assertThat(awaiting.remove(first)).isTrue();
    assertThat(awaiting.expired(1_000, 750)).containsExactly(second);
    assertThat(awaiting.expired(1_000, 0)).containsExactly(third);
    assertThat(awaiting.isEmpty()).isTrue();
  }

  @Test
  @DisplayName("a result that comes after its delivery expired is not taken")
  void lateResultIsRefused() {
    Delivery late = delivery();
    awaiting.add(late, 0);
    awaiting.expired(10, 5);

    assertThat(awaiting.remove(late)).isFalse();
  }
}
