package io.omninode.bridge.adapter.ingest;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LagTrendTest {

  @Test
  @DisplayName("lag that rose at each of the last five samples is growing; a dip or a plateau is not")
  void growingOnlyWhenRisingAtEverySample() {
    LagSampler.LagTrend trend = new LagSampler.LagTrend();
    for (long total : new long[] {10, 20, 30, 40}) {
      trend.sample(total);
    }
    assertThat(trend.isGrowing()).as("too few samples").isFalse();
    trend.sample(50);
    assertThat(trend.isGrowing()).isTrue();
    assertThat(trend.latest()).isEqualTo(50);
    trend.sample(50);
    assertThat(trend.isGrowing()).as("plateau").isFalse();
    for (long total : new long[] {60, 70, 80, 90}) {
      trend.sample(total);
    }
    assertThat(trend.isGrowing()).isTrue();
    trend.sample(0);
    assertThat(trend.isGrowing()).as("caught up").isFalse();
  }
}
