package io.omninode.bridge.adapter.validation;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A JSON value as it was sent: where it lies in its UTF-8 source and what the adapter reads of it.
 * Objects down to the payload's data object are read member by member ({@link Obj}); any deeper
 * container, and every array, is kept whole as its validated text ({@link Container}).
 */
public sealed interface JsonNode {

  byte[] source();

  /** Offset of the value's first byte in {@link #source()}. */
  int start();

  /** Offset just past its last byte. */
  int end();

  /** The value's own text, byte for byte as sent. */
  default String text() {
    return new String(source(), start(), end() - start(), StandardCharsets.UTF_8);
  }

  /** An object read member by member; of duplicate names the last wins, as in PostgreSQL's jsonb. */
  record Obj(byte[] source, int start, int end, Map<String, Member> members) implements JsonNode {

    /** The member's value, or null when absent; JSON null is a {@link Literal} holding null. */
    public JsonNode get(String name) {
      Member member = members.get(name);
      return member == null ? null : member.value();
    }
  }

  /** One member of an {@link Obj}: its text runs from {@code start} (its name's opening quote) to its value's end. */
  record Member(int start, JsonNode value) {
  }

  /** A string, decoded. */
  record Str(byte[] source, int start, int end, String value) implements JsonNode {
  }

  /** A number, kept as its text: never read through a double. */
  record Num(byte[] source, int start, int end) implements JsonNode {
  }

  /** {@code true}, {@code false} ({@code value} true or false) or {@code null} ({@code value} null). */
  record Literal(byte[] source, int start, int end, Boolean value) implements JsonNode {
  }

  /**
   * An object or array kept whole: its nesting depth (1 for a flat one) and the first of its strings
   * or numbers that PostgreSQL's jsonb would refuse or change, if any.
   */
  record Container(byte[] source, int start, int end, boolean object, int depth, Problem problem)
      implements JsonNode {
  }

  /** What is wrong inside a container: where (relative to it, e.g. {@code .list[2]}), the rule and why. */
  record Problem(String path, String rule, String message) {
  }
}
