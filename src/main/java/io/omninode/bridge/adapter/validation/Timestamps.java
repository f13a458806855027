package io.omninode.bridge.adapter.validation;

import io.omninode.bridge.adapter.config.ValidationSettings;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * ISO-8601 timestamps as the bridge nodes write them, read without java.time's formatter (too costly
 * on every event: docs/performance.md): {@code 2026-11-24T10:15:30[.fraction](Z|±HH:MM)}.
 * Anything else goes to {@link OffsetDateTime#parse} and then {@link LocalDateTime#parse} as before
 * (a timestamp without an offset, Python's utcnow().isoformat(), is UTC); null when neither reads it.
 */
final class Timestamps {

  /** What java.time can represent (and ISO 8601 allows in practice): -18:00 to +18:00. */
  private static final int MAX_OFFSET_MINUTES = 18 * 60;
  private static final int[] POWERS = {100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};

  private Timestamps() {
  }

  /**
   * The time itself, when it lies within the configured window around now; a time outside it (Go's
   * zero time, a clock years off, a heartbeat from year 9999 that would win "newest wins" for ever)
   * is refused naming the field.
   */
  static OffsetDateTime requireWithin(String field, OffsetDateTime time, ValidationSettings limits, String what) {
    long now = System.currentTimeMillis();
    Instant instant = time.toInstant();
    if (instant.isBefore(Instant.ofEpochMilli(now - limits.maxTimestampPastMs()))) {
      throw new ValidationException(field, "time_window", what + " " + time + ", more than "
          + span(limits.maxTimestampPastMs()) + " in the past (validation.max_timestamp_past_ms)");
    }
    if (instant.isAfter(Instant.ofEpochMilli(now + limits.maxTimestampFutureMs()))) {
      throw new ValidationException(field, "time_window", what + " " + time + ", more than "
          + span(limits.maxTimestampFutureMs()) + " in the future (validation.max_timestamp_future_ms)");
    }
    return time;
  }

  /**
   * The time as PostgreSQL keeps it: to the microsecond, rounded as PostgreSQL rounds a fraction it
   * reads from text (rint of the fraction, as a double, times 10^6). The SQL client would truncate it.
   */
  static OffsetDateTime toMicros(OffsetDateTime time) {
    int nanos = time.getNano();
    if (nanos % 1_000 == 0) {
      return time;
    }
    long micros = (long) Math.rint(Double.parseDouble("0." + String.format("%09d", nanos)) * 1_000_000);
    return time.withNano(0).plusNanos(micros * 1_000);
  }

  private static String span(long ms) {
    if (ms % 86_400_000 == 0) {
      return ms / 86_400_000 + " days";
    }
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + " hours";
    }
    return ms % 1_000 == 0 ? ms / 1_000 + " s" : ms + " ms";
  }

  static OffsetDateTime parse(String text) {
    OffsetDateTime fast = parseCommonForm(text);
    if (fast != null) {
      return fast;
    }
    try {
      return OffsetDateTime.parse(text);
    } catch (DateTimeException withoutOffset) {
      try {
        return LocalDateTime.parse(text).atOffset(ZoneOffset.UTC);
      } catch (DateTimeException unreadable) {
        return null;
      }
    }
  }

  /** The common form, or null for anything else (which the formatter then judges). */
  private static OffsetDateTime parseCommonForm(String s) {
    int length = s.length();
    if (length < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    int i = 19;
    int nanos = 0;
    if (i < length && s.charAt(i) == '.') {
      int start = ++i;
      while (i < length && i - start < 9 && isDigit(s.charAt(i))) {
        nanos += (s.charAt(i) - '0') * POWERS[i - start];
        i++;
      }
      if (i == start) {
        return null;
      }
    }
    ZoneOffset offset = offset(s, i);
    if ((year | month | day | hour | minute | second) < 0 || offset == null) {
      return null;
    }
    try {
      return OffsetDateTime.of(year, month, day, hour, minute, second, nanos, offset);
    } catch (DateTimeException outOfRange) {
      return null;
    }
  }

  private static ZoneOffset offset(String s, int i) {
    int length = s.length();
    if (i == length - 1 && s.charAt(i) == 'Z') {
      return ZoneOffset.UTC;
    }
    if (i == length - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
      int hours = digits(s, i + 1, i + 3);
      int minutes = digits(s, i + 4, i + 6);
      if ((hours | minutes) < 0 || minutes > 59 || hours * 60 + minutes > MAX_OFFSET_MINUTES) {
        return null;
      }
      int sign = s.charAt(i) == '-' ? -1 : 1;
      return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
    }
    return null;
  }

  /** The number in s[from, to), or -1 if a character is not a digit. */
  private static int digits(String s, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
