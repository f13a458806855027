package io.omninode.bridge.adapter.contract;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class EventTypeTest {

  @Test
  @DisplayName("topic names map to event types whatever the JVM's locale (Turkish has a dotless i)")
  void mappingDoesNotDependOnTheDefaultLocale() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("tr-TR"));
      assertThat(EventType.WORKFLOW_STARTED.topicSegment()).isEqualTo("workflow-started");
      assertThat(EventType.fromTopic("dev.omninode-bridge.registry.node-heartbeat.v1")).contains(EventType.NODE_HEARTBEAT);
      assertThat(EventType.parse("state-transition ")).contains(EventType.STATE_TRANSITION);
      assertThat(OperationType.PERSIST_WORKFLOW_EXECUTION.wireName()).isEqualTo("persist_workflow_execution");
    } finally {
      Locale.setDefault(before);
    }
  }
}
