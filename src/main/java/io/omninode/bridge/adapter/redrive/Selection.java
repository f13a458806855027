package io.omninode.bridge.adapter.redrive;

import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * Which dead letters a redrive takes: every criterion given must hold, an empty set or a null bound
 * does not filter. The time range is on {@code failed_at}, from {@code since} inclusive to
 * {@code until} exclusive; a letter whose {@code failed_at} cannot be read is outside any range.
 * Event ids are kept in lower case, as {@code UUID.toString()} writes them.
 */
record Selection(Set<String> errorTypes, Set<String> originalTopics, Instant since, Instant until,
    Set<String> eventIds) {

  static final Selection ALL = new Selection(Set.of(), Set.of(), null, null, Set.of());

  boolean matches(StoredLetter letter) {
    return (errorTypes.isEmpty() || errorTypes.contains(letter.errorType()))
        && (originalTopics.isEmpty() || originalTopics.contains(letter.originalTopic()))
        && (eventIds.isEmpty() || hasEventId(letter.eventId()))
        && inRange(letter.failedAt());
  }

  private boolean inRange(Instant failedAt) {
    if (since == null && until == null) {
      return true;
    }
    return failedAt != null && (since == null || !failedAt.isBefore(since))
        && (until == null || failedAt.isBefore(until));
  }

  private boolean hasEventId(String eventId) {
    return eventId != null && eventIds.contains(eventId.toLowerCase(Locale.ROOT));
  }
}
