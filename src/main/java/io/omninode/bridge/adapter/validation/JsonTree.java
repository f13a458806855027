package io.omninode.bridge.adapter.validation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON object from its UTF-8 bytes into {@link JsonNode}s that keep their place in the
 * source: objects down to {@code objectDepth} member by member, anything deeper (and every array)
 * whole, checked on the way for what PostgreSQL's jsonb would refuse or change. The bytes must be
 * strict UTF-8; a string that is not is refused naming its field. Iterative below the objects, so
 * that nesting costs no stack; nesting beyond 1,000 levels is not JSON this adapter reads.
 */
public final class JsonTree {

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNumberLength(Integer.MAX_VALUE) // numbers stay text here; PostgreSQL's numeric limits apply
          .maxNestingDepth(1_000)
          .build())
      .build();

  /** The bytes are not a JSON object; the message says why, in one line. */
  public static final class NotJson extends RuntimeException {
    NotJson(String message) {
      super(message, null, false, false);
    }
  }

  private final byte[] source;
  private final int objectDepth;
  private final int invalidAt;
  private JsonParser parser;

  private JsonTree(byte[] source, int objectDepth) {
    this.source = source;
    this.objectDepth = objectDepth;
    this.invalidAt = Utf8.firstInvalid(source);
  }

  /**
   * The object {@code source} holds, with objects read member by member down to {@code objectDepth}
   * (0: the root's members are kept whole). Throws {@link NotJson}, or a {@link ValidationException}
   * naming a string that is not valid UTF-8.
   */
  public static JsonNode.Obj parseObject(byte[] source, int objectDepth) {
    return new JsonTree(source, objectDepth).parse();
  }

  /** The member names of a JSON object's text (one this class has read before). */
  static List<String> names(String object) {
    List<String> names = new ArrayList<>();
    try (JsonParser reader = FACTORY.createParser(object.getBytes(StandardCharsets.UTF_8))) {
      reader.nextToken();
      for (JsonToken token = reader.nextToken(); token == JsonToken.FIELD_NAME; token = reader.nextToken()) {
        names.add(reader.currentName());
        reader.nextToken();
        reader.skipChildren();
      }
    } catch (IOException unreadable) {
      throw new IllegalStateException("a JSON text read once is read again", unreadable);
    }
    return names;
  }

  private JsonNode.Obj parse() {
    try (JsonParser opened = FACTORY.createParser(source)) {
      parser = opened;
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new NotJson("is not a JSON object");
      }
      JsonNode.Obj root = object(0);
      if (parser.nextToken() != null) {
        throw new NotJson("has more after its object");
      }
      if (invalidAt >= 0) {
        throw new NotJson("is not valid UTF-8 (byte " + invalidAt + " of the message)");
      }
      return root;
    } catch (JsonProcessingException malformed) {
      if (invalidAt >= 0 && malformed.getLocation() != null && malformed.getLocation().getByteOffset() >= invalidAt) {
        throw notUtf8();
      }
      throw new NotJson(firstLine(malformed.getOriginalMessage()));
    } catch (IOException unreadable) {
      throw new NotJson(firstLine(unreadable.getMessage()));
    }
  }

  private JsonNode.Obj object(int depth) throws IOException {
    int start = tokenStart();
    Map<String, JsonNode.Member> members = new LinkedHashMap<>();
    for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
      int memberStart = tokenStart();
      String name = parser.currentName();
      checkUtf8(memberStart, -1);
      members.put(name, new JsonNode.Member(memberStart, value(parser.nextToken(), depth + 1)));
    }
    return new JsonNode.Obj(source, start, tokenStart() + 1, members);
  }

  private JsonNode value(JsonToken token, int depth) throws IOException {
    int start = tokenStart();
    return switch (token) {
      case START_OBJECT -> depth <= objectDepth ? object(depth) : container(true, start);
      case START_ARRAY -> container(false, start);
      case VALUE_STRING -> {
        String value = parser.getText();
        int end = tokenEnd();
        checkUtf8(start, end);
        yield new JsonNode.Str(source, start, end, value);
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new JsonNode.Num(source, start, tokenEnd());
      case VALUE_TRUE -> new JsonNode.Literal(source, start, start + 4, Boolean.TRUE);
      case VALUE_FALSE -> new JsonNode.Literal(source, start, start + 5, Boolean.FALSE);
      case VALUE_NULL -> new JsonNode.Literal(source, start, start + 4, null);
      default -> throw new NotJson("has an unexpected " + token);
    };
  }

  /** An object or array kept whole: its depth, and the first thing in it jsonb would refuse or change. */
  private JsonNode.Container container(boolean object, int start) throws IOException {
    int depth = 1;
    int deepest = 1;
    JsonNode.Problem problem = null;
    while (depth > 0) {
      JsonToken token = parser.nextToken();
      switch (token) {
        case START_OBJECT, START_ARRAY -> deepest = Math.max(deepest, ++depth);
        case END_OBJECT, END_ARRAY -> depth--;
        case FIELD_NAME, VALUE_STRING -> {
          int tokenStart = tokenStart();
          String problemOfText = JsonStrings.problem(parser.getTextCharacters(), parser.getTextOffset(),
              parser.getTextLength());
          checkUtf8(tokenStart, token == JsonToken.VALUE_STRING ? tokenEnd() : -1);
          if (problem == null && problemOfText != null) {
            problem = new JsonNode.Problem(JsonPaths.within(parser.getParsingContext(), depth, token), "characters",
                problemOfText);
          }
        }
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
          String problemOfNumber = JsonNumbers.numericProblem(source, tokenStart(), tokenEnd());
          if (problem == null && problemOfNumber != null) {
            problem = new JsonNode.Problem(JsonPaths.within(parser.getParsingContext(), depth, token), "number",
                problemOfNumber);
          }
        }
        default -> {
          // true, false, null: nothing to check
        }
      }
    }
    return new JsonNode.Container(source, start, tokenStart() + 1, object, deepest, problem);
  }

  /**
   * A string (or, with {@code end} -1, a name) whose bytes hold the first invalid UTF-8 sequence is
   * refused, naming where it is. Free when the message is valid UTF-8, as nearly all are.
   */
  private void checkUtf8(int start, int end) {
    if (invalidAt >= start && invalidAt < (end < 0 ? stringEnd(start) : end)) {
      throw notUtf8();
    }
  }

  /** Just past the closing quote of the string whose opening quote is at {@code start}. */
  private int stringEnd(int start) {
    int i = start + 1;
    while (i < source.length && source[i] != '"') {
      i += source[i] == '\\' ? 2 : 1;
    }
    return i + 1;
  }

  /** Inside an object or array, where the bad bytes are is named; at the top they make the value not JSON. */
  private RuntimeException notUtf8() {
    JsonStreamContext context = parser.getParsingContext();
    String where = "is not valid UTF-8 (byte " + invalidAt + " of the message)";
    return context == null || context.inRoot() ? new NotJson(where)
        : new ValidationException(JsonPaths.of(context), "unicode", where);
  }

  private int tokenStart() {
    return (int) parser.currentTokenLocation().getByteOffset();
  }

  /** Just past the current scalar token (a string read to its closing quote, a number to its last digit). */
  private int tokenEnd() {
    return (int) parser.currentLocation().getByteOffset();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unparseable";
    }
    int end = message.indexOf('\n');
    String line = end < 0 ? message : message.substring(0, end);
    return line.length() <= 100 ? line : line.substring(0, 100) + "...";
  }
}
