package io.omninode.bridge.adapter.contract;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class AddressesTest {

  @Test
  @DisplayName("Addresses.ALL lists every operation's address and the consumer's counters")
  void allListsEveryAddress() {
    assertThat(Addresses.ALL).containsAll(Arrays.stream(OperationType.values()).map(OperationType::address).toList())
        .contains(Addresses.INGEST_STATS).doesNotHaveDuplicates().hasSize(OperationType.values().length + 1);
  }
}
