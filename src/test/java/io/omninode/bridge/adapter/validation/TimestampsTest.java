package io.omninode.bridge.adapter.validation;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import static org.assertj.core.api.Assertions.assertThat;

class TimestampsTest {

  @Property(tries = 2_000)
  @Label("every ISO-8601 form java.time writes is read as java.time reads it")
  void agreesWithJavaTime(@ForAll("timestamps") String text) {
    assertThat(Timestamps.parse(text)).isEqualTo(javaTime(text));
  }

  @Property(tries = 1_000)
  @Label("anything else is read as java.time reads it, or refused as java.time refuses it")
  void agreesWithJavaTimeOnJunk(@ForAll("almostTimestamps") String text) {
    assertThat(Timestamps.parse(text)).isEqualTo(javaTime(text));
  }

  @Example
  @Label("a timestamp without offset (Python's utcnow().isoformat()) is UTC, to the microsecond")
  void pythonTimestampIsUtc() {
    assertThat(Timestamps.parse("2026-11-24T10:15:30.123456"))
        .isEqualTo(OffsetDateTime.of(2026, 11, 24, 10, 15, 30, 123_456_000, ZoneOffset.UTC));
  }

  @Example
  @Label("an offset beyond java.time's ±18:00 is refused, never thrown")
  void offsetOutOfRangeIsRefused() {
    assertThat(Timestamps.parse("2026-01-01T00:00:00+18:30")).isNull();
    assertThat(Timestamps.parse("2026-01-01T00:00:00-19:00")).isNull();
    assertThat(Timestamps.parse("2026-01-01T00:00:00.5+99:59")).isNull();
    assertThat(Timestamps.parse("2026-01-01T00:00:00-18:00"))
        .isEqualTo(OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(-18)));
  }

  /** What the adapter read before this parser: java.time's two ISO parsers. */
  private static OffsetDateTime javaTime(String text) {
    try {
      return OffsetDateTime.parse(text);
    } catch (DateTimeParseException withoutOffset) {
      try {
        return LocalDateTime.parse(text).atOffset(ZoneOffset.UTC);
      } catch (DateTimeParseException unreadable) {
        return null;
      }
    }
  }

  @Provide
  Arbitrary<String> timestamps() {
    Arbitrary<OffsetDateTime> times = Combinators.combine(
        Arbitraries.longs().between(-2_000_000_000L, 4_000_000_000L),
        Arbitraries.integers().between(0, 999_999_999),
        Arbitraries.integers().between(-18 * 60, 18 * 60))
        .as((seconds, nanos, offsetMinutes) -> OffsetDateTime.of(LocalDateTime.ofEpochSecond(seconds, nanos,
            ZoneOffset.UTC), ZoneOffset.ofTotalSeconds(offsetMinutes * 60)));
    Arbitrary<DateTimeFormatter> formats = Arbitraries.of(DateTimeFormatter.ISO_OFFSET_DATE_TIME,
        DateTimeFormatter.ISO_LOCAL_DATE_TIME, DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX"),
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS"), DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mmXXX"));
    return Combinators.combine(times, formats).as((time, format) -> time.format(format));
  }

  @Provide
  Arbitrary<String> almostTimestamps() {
    return Combinators.combine(timestamps(), Arbitraries.integers().between(0, 30), Arbitraries.chars().ascii())
        .as((text, at, junk) -> {
          int cut = Math.min(at, text.length());
          return text.substring(0, cut) + junk + text.substring(Math.min(cut + 1, text.length()));
        });
  }
}
