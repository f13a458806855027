package io.omninode.bridge.adapter.validation;

/**
 * Strict UTF-8 (RFC 3629): no overlong forms (C0 AF for '/'), no encoded surrogates, nothing above
 * U+10FFFF, no truncated sequence. Jackson decodes some of these leniently into other characters.
 */
final class Utf8 {

  private Utf8() {
  }

  /** The index of the first byte that does not start a valid sequence, or -1 when all of it is valid. */
  static int firstInvalid(byte[] bytes) {
    int i = 0;
    int length = bytes.length;
    while (i < length) {
      int b = bytes[i];
      if (b >= 0) {
        i++;
        continue;
      }
      int width = sequenceLength(bytes, i);
      if (width < 0) {
        return i;
      }
      i += width;
    }
    return -1;
  }

  /** The length of the valid multi-byte sequence at {@code i}, or -1. */
  private static int sequenceLength(byte[] bytes, int i) {
    int b0 = bytes[i] & 0xff;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      return continuation(bytes, i + 1) ? 2 : -1;
    }
    if (b0 >= 0xe0 && b0 <= 0xef) {
      if (i + 2 >= bytes.length) {
        return -1;
      }
      int b1 = bytes[i + 1] & 0xff;
      boolean second = b0 == 0xe0 ? b1 >= 0xa0 && b1 <= 0xbf // not overlong
          : b0 == 0xed ? b1 >= 0x80 && b1 <= 0x9f            // not a surrogate
          : b1 >= 0x80 && b1 <= 0xbf;
      return second && continuation(bytes, i + 2) ? 3 : -1;
    }
    if (b0 >= 0xf0 && b0 <= 0xf4) {
      if (i + 3 >= bytes.length) {
        return -1;
      }
      int b1 = bytes[i + 1] & 0xff;
      boolean second = b0 == 0xf0 ? b1 >= 0x90 && b1 <= 0xbf // not overlong
          : b0 == 0xf4 ? b1 >= 0x80 && b1 <= 0x8f            // not above U+10FFFF
          : b1 >= 0x80 && b1 <= 0xbf;
      return second && continuation(bytes, i + 2) && continuation(bytes, i + 3) ? 4 : -1;
    }
    return -1;
  }

  private static boolean continuation(byte[] bytes, int i) {
    return i < bytes.length && (bytes[i] & 0xc0) == 0x80;
  }
}
