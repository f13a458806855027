package io.omninode.bridge.adapter.deadletter;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The original record's value as a dead letter holds it: UTF-8 text, or base64 when the bytes are
 * not UTF-8; and, for a letter too large to send whole, a prefix cut only between whole characters
 * or whole base64 quanta, so that what is kept decodes to exactly the first bytes of the original.
 *
 * @param bytes the original value, null for a tombstone
 * @param text  the value as text, null when it is not UTF-8 (or a tombstone)
 */
record OriginalMessage(byte[] bytes, String text) {

  static final String UTF_8 = "utf-8";
  static final String BASE64 = "base64";

  static OriginalMessage of(byte[] value) {
    return new OriginalMessage(value, utf8(value));
  }

  String encoding() {
    return text != null || bytes == null ? UTF_8 : BASE64;
  }

  /** The whole message as the letter's {@code original_message}. */
  String whole() {
    if (bytes == null) {
      return null;
    }
    return text != null ? text : Base64.getEncoder().encodeToString(bytes);
  }

  /** Whether a {@link #prefix} is the whole message after all. */
  boolean isWhole(String prefix) {
    if (bytes == null) {
      return true;
    }
    return prefix.length() == (text != null ? text.length() : (bytes.length + 2) / 3 * 4);
  }

  int sizeBytes() {
    return bytes == null ? 0 : bytes.length;
  }

  String sha256() {
    if (bytes == null) {
      return null;
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException everyJavaHasIt) {
      throw new IllegalStateException(everyJavaHasIt);
    }
  }

  /**
   * The longest prefix of {@link #whole()} that takes at most {@code jsonBytes} inside a JSON string
   * and stands for at most {@code maxOriginalBytes} of the original. A character's JSON size is
   * counted at its largest (a control character as {@code \u0000}), so the prefix never takes more.
   */
  String prefix(int jsonBytes, int maxOriginalBytes) {
    if (bytes == null) {
      return null;
    }
    int budget = Math.max(0, jsonBytes);
    if (text == null) {
      if (bytes.length <= maxOriginalBytes && (bytes.length + 2) / 3 * 4 <= budget) {
        return whole();
      }
      int keptBytes = Math.min(Math.min(maxOriginalBytes, bytes.length), budget / 4 * 3) / 3 * 3;
      return Base64.getEncoder().encodeToString(Arrays.copyOf(bytes, keptBytes));
    }
    int json = 0;
    int original = 0;
    int end = 0;
    while (end < text.length()) {
      int codePoint = text.codePointAt(end);
      json += jsonSize(codePoint);
      original += utf8Size(codePoint);
      if (json > budget || original > maxOriginalBytes) {
        break;
      }
      end += Character.charCount(codePoint);
    }
    return text.substring(0, end);
  }

  private static int jsonSize(int codePoint) {
    if (codePoint < 0x20) {
      return 6;
    }
    return codePoint == '"' || codePoint == '\\' ? 2 : utf8Size(codePoint);
  }

  private static int utf8Size(int codePoint) {
    if (codePoint < 0x80) {
      return 1;
    }
    if (codePoint < 0x800) {
      return 2;
    }
    return codePoint < 0x10000 ? 3 : 4;
  }

  private static String utf8(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException notUtf8) {
      return null;
    }
  }
}
