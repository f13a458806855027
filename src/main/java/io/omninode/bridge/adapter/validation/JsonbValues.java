package io.omninode.bridge.adapter.validation;

import io.omninode.bridge.adapter.config.ValidationSettings;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The values of JSONB columns: within the depth and size limits, holding nothing PostgreSQL's jsonb
 * would refuse or change, made of the event's own JSON text; an object and more members merged
 * member by member, each as sent.
 */
final class JsonbValues {

  private final ValidationSettings limits;

  JsonbValues(ValidationSettings limits) {
    this.limits = limits;
  }

  /** An object for a JSONB column, as sent. */
  JsonText object(String field, JsonNode.Container object) {
    check(field, object);
    if (object.end() - object.start() > limits.maxJsonBytes()) {
      throw tooBig(field);
    }
    return new JsonText(object.text(), object.depth(), object.end() - object.start());
  }

  /**
   * {@code base} (or an empty object) and the {@code members} neither {@code skipped} nor named by
   * {@code base} already, each as sent.
   */
  JsonText merged(String path, JsonText base, Map<String, JsonNode.Member> members, Set<String> skipped) {
    List<String> baseNames = null;
    StringBuilder merged = null;
    long bytes = 0;
    int depth = base == null ? 1 : base.depth();
    for (Map.Entry<String, JsonNode.Member> entry : members.entrySet()) {
      String name = entry.getKey();
      JsonNode value = entry.getValue().value();
      if (skipped.contains(name)) {
        continue;
      }
      if (base != null && baseNames == null) {
        baseNames = JsonTree.names(base.text());
      }
      if (baseNames != null && baseNames.contains(name)) {
        continue;
      }
      checkMember(path + "." + name, name, value);
      depth = Math.max(depth, 1 + (value instanceof JsonNode.Container container ? container.depth() : 0));
      if (merged == null) {
        merged = new StringBuilder(base == null ? 64 : base.text().length() + 64);
        bytes = open(merged, base, baseNames);
      } else {
        merged.append(',');
        bytes++;
      }
      int start = entry.getValue().start();
      merged.append(new String(value.source(), start, value.end() - start, StandardCharsets.UTF_8));
      bytes += value.end() - start;
    }
    if (merged == null) {
      return base != null ? base : JsonText.EMPTY;
    }
    merged.append('}');
    if (depth > limits.maxJsonDepth()) {
      throw tooDeep(path);
    }
    if (bytes + 1 > limits.maxJsonBytes()) {
      throw tooBig(path);
    }
    return new JsonText(merged.toString(), depth, (int) bytes + 1);
  }

  /** Opens the merged object with {@code base}'s members; its bytes so far. */
  private static long open(StringBuilder merged, JsonText base, List<String> baseNames) {
    if (base == null || baseNames.isEmpty()) {
      merged.append('{');
      return 1;
    }
    merged.append(base.text(), 0, base.text().length() - 1).append(',');
    return base.bytes();
  }

  private void checkMember(String field, String name, JsonNode value) {
    String nameProblem = JsonStrings.problem(name);
    if (nameProblem != null) {
      throw new ValidationException(field, "characters", "(its name) " + nameProblem);
    }
    if (value instanceof JsonNode.Container container) {
      check(field, container);
    } else if (value instanceof JsonNode.Str string && JsonStrings.problem(string.value()) != null) {
      throw new ValidationException(field, "characters", JsonStrings.problem(string.value()));
    } else if (value instanceof JsonNode.Num number) {
      String problem = JsonNumbers.numericProblem(number.source(), number.start(), number.end());
      if (problem != null) {
        throw new ValidationException(field, "number", problem);
      }
    }
  }

  private void check(String field, JsonNode.Container value) {
    if (value.depth() > limits.maxJsonDepth()) {
      throw tooDeep(field);
    }
    if (value.problem() != null) {
      throw new ValidationException(field + value.problem().path(), value.problem().rule(), value.problem().message());
    }
  }

  private ValidationException tooDeep(String field) {
    return new ValidationException(field, "max_json_depth", "is nested deeper than " + limits.maxJsonDepth() + " levels");
  }

  private ValidationException tooBig(String field) {
    return new ValidationException(field, "max_json_bytes", "is larger than " + limits.maxJsonBytes() + " bytes");
  }
}
