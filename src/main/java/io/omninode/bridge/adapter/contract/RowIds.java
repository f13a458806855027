package io.omninode.bridge.adapter.contract;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * {@code UUID.nameUUIDFromBytes} of {@code "<table>:<event id>"}, without looking the MD5 provider up
 * for every event (the lookup costs, not the digest: docs/performance.md): one digest per thread.
 */
final class RowIds {

  private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has MD5", e);
    }
  });

  private RowIds() {
  }

  static UUID of(String table, UUID eventId) {
    MessageDigest md5 = MD5.get();
    md5.update(table.getBytes(StandardCharsets.US_ASCII));
    md5.update((byte) ':');
    byte[] hash = md5.digest(eventId.toString().getBytes(StandardCharsets.US_ASCII));
    hash[6] = (byte) ((hash[6] & 0x0f) | 0x30); // version 3, as nameUUIDFromBytes
    hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
    long high = 0;
    long low = 0;
    for (int i = 0; i < 8; i++) {
      high = (high << 8) | (hash[i] & 0xff);
      low = (low << 8) | (hash[i + 8] & 0xff);
    }
    return new UUID(high, low);
  }
}
