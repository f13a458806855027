package io.omninode.bridge.adapter.contract;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class RowIdsTest {

  @Test
  @DisplayName("a row's id is the name-based UUID every version has written, so a replay of an old event is a no-op")
  void sameIdAsNameUuidFromBytes() {
    for (int i = 0; i < 1_000; i++) {
      UUID event = UUID.randomUUID();
      for (String table : new String[] {"workflow_steps", "metadata_stamps", "fsm_transitions"}) {
        assertThat(RowIds.of(table, event))
            .isEqualTo(UUID.nameUUIDFromBytes((table + ":" + event).getBytes(StandardCharsets.UTF_8)));
      }
    }
  }
}
