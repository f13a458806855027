package io.omninode.bridge.adapter.operation;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * New row ids that sort by creation time (the UUIDv7 layout: 48 bits of Unix milliseconds, then
 * random bits): a B-tree of them grows at its right edge instead of touching a random page per
 * insert. For rows whose id need not be derived from an event (a workflow's row is found by its
 * correlation id).
 */
final class TimeOrderedIds {

  private TimeOrderedIds() {
  }

  static UUID next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long millis = System.currentTimeMillis();
    long high = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low);
  }
}
