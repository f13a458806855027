package io.omninode.bridge.adapter.validation;

import java.math.BigDecimal;

/**
 * JSON numbers read from their text: whether PostgreSQL's {@code numeric} (what jsonb stores) can
 * hold one, and a 32-bit integer read exactly.
 */
final class JsonNumbers {

  /** numeric's limits: digits after the decimal point, and a value below 10^131072. */
  private static final int MAX_SCALE = 16_383;
  private static final int MAX_WEIGHT = 131_071;
  /** PostgreSQL refuses exponents this large before it looks further. */
  private static final long MAX_EXPONENT = Integer.MAX_VALUE / 2;

  private JsonNumbers() {
  }

  /**
   * Null when numeric holds the number at {@code source[start, end)} (valid JSON number text) as
   * written, else why not: PostgreSQL refuses it ("value overflows numeric format").
   */
  static String numericProblem(byte[] source, int start, int end) {
    int i = source[start] == '-' ? start + 1 : start;
    int intStart = i;
    while (i < end && isDigit(source[i])) {
      i++;
    }
    int intEnd = i;
    int fracStart = i;
    int fracEnd = i;
    if (i < end && source[i] == '.') {
      fracStart = ++i;
      while (i < end && isDigit(source[i])) {
        i++;
      }
      fracEnd = i;
    }
    long exponent = 0;
    if (i < end && (source[i] == 'e' || source[i] == 'E')) {
      i++;
      boolean negative = source[i] == '-';
      if (source[i] == '-' || source[i] == '+') {
        i++;
      }
      while (i < end) {
        exponent = Math.min(exponent * 10 + (source[i++] - '0'), MAX_EXPONENT);
      }
      exponent = negative ? -exponent : exponent;
    }
    if (Math.abs(exponent) >= MAX_EXPONENT) {
      return "has an exponent beyond what PostgreSQL's numeric reads";
    }
    long scale = Math.max(0, (fracEnd - fracStart) - exponent);
    if (scale > MAX_SCALE) {
      return "has more than " + MAX_SCALE + " digits after the decimal point, more than PostgreSQL's numeric holds";
    }
    long weight = firstNonZeroWeight(source, intStart, intEnd, fracStart, fracEnd);
    if (weight != Long.MIN_VALUE && weight + exponent > MAX_WEIGHT) {
      return "is 10^" + (MAX_WEIGHT + 1) + " or more, beyond PostgreSQL's numeric";
    }
    return null;
  }

  /** The power of ten of the first non-zero digit (0 for the units), or MIN_VALUE for zero. */
  private static long firstNonZeroWeight(byte[] source, int intStart, int intEnd, int fracStart, int fracEnd) {
    for (int i = intStart; i < intEnd; i++) {
      if (source[i] != '0') {
        return intEnd - i - 1;
      }
    }
    for (int i = fracStart; i < fracEnd; i++) {
      if (source[i] != '0') {
        return -(i - fracStart + 1);
      }
    }
    return Long.MIN_VALUE;
  }

  /**
   * The number as an int when it is a whole number in the 32-bit range ({@code 3}, {@code 3.0},
   * {@code 3e0}); null when it is not whole; throws {@link ArithmeticException} when out of range.
   */
  static Integer exactInt(String text) {
    if (text.length() <= 9 && isPlainInteger(text)) {
      return Integer.parseInt(text);
    }
    BigDecimal value = new BigDecimal(text);
    if (value.signum() == 0) {
      return 0;
    }
    if ((long) value.precision() - value.scale() > 10) {
      throw new ArithmeticException("out of range");
    }
    BigDecimal whole = value.stripTrailingZeros();
    return whole.scale() > 0 ? null : whole.intValueExact();
  }

  private static boolean isPlainInteger(String text) {
    for (int i = text.charAt(0) == '-' ? 1 : 0; i < text.length(); i++) {
      if (!isDigit((byte) text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }
}
