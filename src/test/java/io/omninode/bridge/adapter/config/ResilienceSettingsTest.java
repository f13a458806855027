package io.omninode.bridge.adapter.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResilienceSettingsTest {

  @Test
  @DisplayName("a retry waits at least a millisecond, whatever the settings: Vert.x refuses a timer of 0 ms")
  void retryDelayIsNeverZero() {
    ResilienceSettings settings = new ResilienceSettings(5, 30_000, 10_000, 1, 1, 30_000);

    for (int attempt = 0; attempt < 1_000; attempt++) {
      assertThat(settings.retryDelayMs(attempt)).isBetween(1L, 1L);
    }
  }

  @Test
  @DisplayName("the backoff doubles up to the maximum, with jitter between half and all of it")
  void backoffDoublesWithJitter() {
    ResilienceSettings settings = new ResilienceSettings(5, 30_000, 10_000, 100, 10_000, 30_000);

    assertThat(settings.retryDelayMs(0)).isBetween(50L, 100L);
    assertThat(settings.retryDelayMs(3)).isBetween(400L, 800L);
    assertThat(settings.retryDelayMs(40)).isBetween(5_000L, 10_000L);
  }
}
