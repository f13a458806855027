package io.omninode.bridge.adapter.operation;

import io.omninode.bridge.adapter.config.ValidationSettings;
import io.omninode.bridge.adapter.ingest.Decoded;
import io.omninode.bridge.adapter.ingest.EnvelopeDecoder;
import io.omninode.bridge.adapter.testsupport.PgTarget;
import io.omninode.bridge.adapter.testsupport.TestDatabase;
import io.omninode.bridge.adapter.testsupport.TestEnvironment;
import io.omninode.bridge.adapter.validation.ValidationException;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated JSON values through decode, validation, {@code toRow} and the statement, on a real
 * PostgreSQL: each ends as a row whose value PostgreSQL reads back equal to its own parse of the
 * value's text, or as a rejection; an exception that escapes fails the property. Numbers beyond a
 * double, {@code -0} and long exponents; every Unicode edge (surrogates, noncharacters, U+2028, NUL,
 * escapes, bytes that are not UTF-8); extreme dates and offsets.
 */
class ExactValuesPropertyTest {

  private static final String TOPIC = "dev.omninode-bridge.orchestrator.step-completed.v1";
  private static final EnvelopeDecoder DECODER = new EnvelopeDecoder(ValidationSettings.DEFAULTS);
  private static final PersistWorkflowStep STEPS = new PersistWorkflowStep(new Workflows());
  private static final UUID WORKFLOW = UUID.randomUUID();
  private static Vertx vertx;
  private static TestDatabase database;
  private static Pool pool;
  private static Connection jdbc;

  @BeforeContainer
  static void createDatabase() throws Exception {
    vertx = Vertx.vertx();
    database = TestDatabase.migrated("exact");
    pool = database.pool(vertx);
    PgTarget pg = TestEnvironment.postgres();
    jdbc = DriverManager.getConnection(pg.jdbcUrl(database.name()), pg.user(), pg.password());
    try (Statement statement = jdbc.createStatement()) {
      statement.execute("SET TIME ZONE 'UTC'");
    }
  }

  @AfterContainer
  static void dropDatabase() throws Exception {
    jdbc.close();
    pool.close().await(30, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
    database.close();
  }

  /** What became of one event: its row's id, or the rule that refused it. */
  private record Outcome(UUID stored, String refusedBy) {
  }

  @Property(tries = 500)
  @Label("a JSON value in a JSONB column, in its object or as a field without a column: equal to PostgreSQL's parse, or refused")
  void jsonbValueIsStoredExactlyOrRefused(@ForAll("jsonValues") byte[] value, @ForAll boolean withoutColumn)
      throws Exception {
    byte[] member = concat(ascii(withoutColumn ? "\"extra\":" : "\"step_data\":{\"v\":"), value,
        ascii(withoutColumn ? "" : "}"));
    Outcome outcome = run(member);
    String expected = utf8(concat(ascii("{\"" + (withoutColumn ? "extra" : "v") + "\":"), value, ascii("}")));
    if (outcome.stored() != null) {
      assertThat(query("SELECT step_data = ?::jsonb FROM workflow_steps WHERE id = ?::uuid", expected,
          outcome.stored())).as("stored as PostgreSQL reads %s", expected).isEqualTo("t");
    } else if (expected != null && List.of("number", "characters").contains(outcome.refusedBy())) {
      assertThat(postgresRefuses(expected)).as("refused only what PostgreSQL refuses: %s", expected).isTrue();
    }
  }

  @Property(tries = 300)
  @Label("a JSON string in a text column: equal to PostgreSQL's parse of the string, or refused")
  void textIsStoredExactlyOrRefused(@ForAll("jsonStrings") byte[] string) throws Exception {
    Outcome outcome = run(concat(ascii("\"error_message\":"), string));
    String array = utf8(concat(ascii("["), string, ascii("]")));
    if (outcome.stored() != null) {
      assertThat(query("SELECT error_message = (?::jsonb ->> 0) FROM workflow_steps WHERE id = ?::uuid", array,
          outcome.stored())).as("stored as PostgreSQL reads %s", array).isEqualTo("t");
    }
  }

  @Property(tries = 200)
  @Label("a JSON number in an integer column: the same number, or refused")
  void integerIsStoredExactlyOrRefused(@ForAll("jsonNumbers") String number) throws Exception {
    Outcome outcome = run(ascii("\"step_order\":" + number));
    if (outcome.stored() != null) {
      assertThat(query("SELECT step_order = (?::jsonb ->> 0)::numeric FROM workflow_steps WHERE id = ?::uuid",
          "[" + number + "]", outcome.stored())).as("stored as PostgreSQL reads %s", number).isEqualTo("t");
    }
  }

  @Property(tries = 300)
  @Label("an event time at any date and offset: the instant PostgreSQL (or, where it cannot read the form, java.time) reads, or refused")
  void eventTimeIsStoredExactlyOrRefused(@ForAll("timestamps") String time) throws Exception {
    Outcome outcome = run(ascii("\"step_order\":1"), time);
    if (outcome.stored() != null) {
      String byPostgres = postgresTime(time);
      if (byPostgres != null) {
        assertThat(query("SELECT created_at = ?::timestamptz FROM workflow_steps WHERE id = ?::uuid", time,
            outcome.stored())).as("stored as PostgreSQL reads %s", time).isEqualTo("t");
      } else {
        OffsetDateTime byJavaTime = javaTime(time);
        assertThat(byJavaTime).as("accepted only what java.time reads: %s", time).isNotNull();
        assertThat(query("SELECT created_at = ?::timestamptz FROM workflow_steps WHERE id = ?::uuid",
            micros(byJavaTime).toInstant().toString(), outcome.stored())).as("stored as java.time reads %s", time).isEqualTo("t");
      }
    }
  }

  /** The event with {@code member} in its step object, through the decoder, the operation and PostgreSQL. */
  private static Outcome run(byte[] member) throws Exception {
    return run(member, Instant.now().toString());
  }

  private static Outcome run(byte[] member, String time) throws Exception {
    byte[] envelope = concat(ascii("{\"event_id\":\"" + UUID.randomUUID() + "\",\"event_type\":\"STEP_COMPLETED\","
            + "\"timestamp\":" + quoted(time) + ",\"correlation_id\":\"" + WORKFLOW + "\",\"payload\":{\"workflow_step_data\":"
            + "{\"workflow_id\":\"" + WORKFLOW + "\",\"step_name\":\"step\",\"status\":\"COMPLETED\","),
        member, ascii("}}}"));
    Decoded decoded = DECODER.decode(TOPIC, envelope, System.currentTimeMillis());
    if (decoded instanceof Decoded.Rejected rejected) {
      return refused(rejected.errorType() + " " + rejected.rule(), rejected.rule());
    }
    PersistWorkflowStep.Step row;
    try {
      row = STEPS.toRow(((Decoded.Accepted) decoded).request());
    } catch (ValidationException invalid) {
      return refused("VALIDATION_ERROR " + invalid.rule(), invalid.rule());
    }
    try { // a jqwik property is synchronous: it waits for the statement with Vert.x's own Future.await
      STEPS.persist(pool, List.of(row)).await(30, TimeUnit.SECONDS);
    } catch (PgException pg) {
      if (pg.getSqlState().startsWith("22")) {
        return refused("DATA_ERROR " + pg.getSqlState(), "postgresql");
      }
      throw pg;
    }
    Statistics.label("outcome").collect("stored");
    return new Outcome(row.id(), null);
  }

  private static Outcome refused(String label, String rule) {
    Statistics.label("outcome").collect(label);
    return new Outcome(null, rule);
  }

  private static String query(String sql, String text, UUID id) throws SQLException {
    try (PreparedStatement statement = jdbc.prepareStatement(sql)) {
      statement.setString(1, text);
      statement.setString(2, id.toString());
      try (ResultSet rows = statement.executeQuery()) {
        assertThat(rows.next()).as("the row %s is there", id).isTrue();
        return rows.getString(1);
      }
    }
  }

  private static boolean postgresRefuses(String json) {
    try (PreparedStatement statement = jdbc.prepareStatement("SELECT ?::jsonb")) {
      statement.setString(1, json);
      statement.executeQuery().close();
      return false;
    } catch (SQLException refused) {
      return true;
    }
  }

  /** PostgreSQL's reading of a timestamp's text, or null when it cannot read it. */
  private static String postgresTime(String time) {
    try (PreparedStatement statement = jdbc.prepareStatement("SELECT ?::timestamptz")) {
      statement.setString(1, time);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getString(1);
      }
    } catch (SQLException unreadable) {
      return null;
    }
  }

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

  /** As PostgreSQL rounds a fraction of a second it reads: rint(fraction * 10^6). */
  private static OffsetDateTime micros(OffsetDateTime time) {
    long micros = (long) Math.rint(Double.parseDouble("0." + String.format("%09d", time.getNano())) * 1_000_000);
    return time.withNano(0).plusNanos(micros * 1_000);
  }

  @Provide
  Arbitrary<byte[]> jsonValues() {
    return value(3);
  }

  private Arbitrary<byte[]> value(int depth) {
    Arbitrary<byte[]> scalar = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, jsonStrings()),
        net.jqwik.api.Tuple.of(4, jsonNumbers().map(ExactValuesPropertyTest::ascii)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("true", "false", "null").map(ExactValuesPropertyTest::ascii)));
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<byte[]> array = value(depth - 1).list().ofMaxSize(3).map(items -> join("[", items, "]"));
    Arbitrary<byte[]> object = Combinators.combine(jsonStrings(), value(depth - 1))
        .as((name, item) -> concat(name, ascii(":"), item)).list().ofMaxSize(3).map(members -> join("{", members, "}"));
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, scalar), net.jqwik.api.Tuple.of(1, array),
        net.jqwik.api.Tuple.of(1, object));
  }

  /** A JSON string literal of plain characters, escapes, raw code points and bytes that are not UTF-8. */
  @Provide
  Arbitrary<byte[]> jsonStrings() {
    Arbitrary<byte[]> plain = Arbitraries.strings().withCharRange(' ', '~').excludeChars('"', '\\').ofMaxLength(4)
        .map(ExactValuesPropertyTest::ascii);
    Arbitrary<byte[]> escapes = Arbitraries.of("\\n", "\\t", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\r", "\\u0000",
        "\\u0001", "\\u001f", "\\u007f", "\\u00e9", "\\u2028", "\\u2029", "\\ufffe", "\\uffff", "\\ufdd0", "\\ud800",
        "\\udbff", "\\udc00", "\\udfff", "\\ud83d\\ude00", "\\ud800\\ud800", "\\udc00\\ud800", "\\uDBFF\\uDFFF")
        .map(ExactValuesPropertyTest::ascii);
    Arbitrary<byte[]> codePoints = Arbitraries.of(0x7f, 0x80, 0xe9, 0x7ff, 0x800, 0x2028, 0x2029, 0xfdd0, 0xfffe,
        0xffff, 0x1f600, 0x10ffff).map(codePoint -> new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> notUtf8 = Arbitraries.of(new byte[] {(byte) 0xC0, (byte) 0xAF},
        new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0x80},
        new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC3}, new byte[] {0x01}, new byte[] {0x1f});
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, plain), net.jqwik.api.Tuple.of(4, escapes),
            net.jqwik.api.Tuple.of(3, codePoints), net.jqwik.api.Tuple.of(1, notUtf8))
        .list().ofMaxSize(6).map(pieces -> join("\"", pieces, "\""));
  }

  /** A JSON number text: beyond a double, -0, long fractions, exponents at and past numeric's limits. */
  @Provide
  Arbitrary<String> jsonNumbers() {
    Arbitrary<String> whole = Arbitraries.oneOf(Arbitraries.of("0", "1", "7", "2147483647", "2147483648",
            "4294967296", "12345678901234567890123"),
        Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(30).map(digits -> "9" + digits));
    Arbitrary<String> fraction = Arbitraries.oneOf(Arbitraries.of("", "", ".0", ".5", ".00", ".000000000000000000001"),
        Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(25).map(digits -> "." + digits));
    Arbitrary<String> exponent = Arbitraries.oneOf(Arbitraries.just(""), Combinators.combine(
        Arbitraries.of("e", "E"), Arbitraries.of("", "+", "-"), Arbitraries.of("0", "1", "9", "308", "309", "400",
            "16383", "16384", "131071", "131072", "999999999", "1073741823", "99999999999999999999"))
        .as((e, sign, digits) -> e + sign + digits));
    return Combinators.combine(Arbitraries.of("", "", "-"), whole, fraction, exponent)
        .as((sign, integer, frac, exp) -> sign + integer + frac + exp);
  }

  /** Times within the default window and far outside it, with fractions to the nanosecond and odd offsets. */
  @Provide
  Arbitrary<String> timestamps() {
    long now = System.currentTimeMillis() / 1_000;
    Arbitrary<String> generated = Combinators.combine(
            Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, Arbitraries.longs().between(now - 9L * 365 * 86_400, now + 3_000)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(now - 12L * 366 * 86_400, now + 3 * 3_600))),
            Arbitraries.integers().between(0, 999_999_999),
            Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, Arbitraries.integers().between(0, 9)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(10, 12))),
            Arbitraries.integers().between(-19 * 60, 19 * 60), Arbitraries.of("Z", "offset", "offset", "none"))
        .as((seconds, nanos, digits, offsetMinutes, form) -> format(seconds, nanos, digits, offsetMinutes, form));
    Arbitrary<String> extremes = Arbitraries.of("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "infinity",
        "2026-02-30T00:00:00Z", "2026-11-24T24:00:00Z", "+10000-01-01T00:00:00Z", "2026-11-24T10:15:30.1234565Z",
        "2026-11-24T10:15:30.0000005Z", "2026-11-24T10:15:30.9999995Z", "2026-11-24 10:15:30Z", "2026-11-24");
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, generated), net.jqwik.api.Tuple.of(1, extremes));
  }

  private static String format(long seconds, int nanos, int digits, int offsetMinutes, String form) {
    ZoneOffset offset = "offset".equals(form) && Math.abs(offsetMinutes) <= 18 * 60
        ? ZoneOffset.ofTotalSeconds(offsetMinutes * 60) : ZoneOffset.UTC;
    LocalDateTime local = LocalDateTime.ofEpochSecond(seconds, 0, offset);
    String fraction = digits == 0 ? "" : "." + String.format("%09d", nanos).substring(0, Math.min(digits, 9))
        + "0".repeat(Math.max(0, digits - 9));
    String zone = switch (form) {
      case "Z" -> "Z";
      case "none" -> "";
      default -> (offsetMinutes < 0 ? "-" : "+") + String.format("%02d:%02d", Math.abs(offsetMinutes) / 60,
          Math.abs(offsetMinutes) % 60);
    };
    return local.format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")) + fraction + zone;
  }

  private static byte[] join(String open, List<byte[]> items, String close) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ascii(open));
    for (int i = 0; i < items.size(); i++) {
      if (i > 0 && !"\"".equals(open)) {
        out.writeBytes(ascii(","));
      }
      out.writeBytes(items.get(i));
    }
    out.writeBytes(ascii(close));
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String quoted(String text) {
    return "\"" + text + "\"";
  }

  /** The bytes as text, or null when they are not UTF-8 (PostgreSQL cannot even be asked). */
  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException notUtf8) {
      return null;
    }
  }
}
