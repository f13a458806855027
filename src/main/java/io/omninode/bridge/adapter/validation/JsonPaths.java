package io.omninode.bridge.adapter.validation;

import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;

import java.util.ArrayList;
import java.util.List;

/** Where a JSON parser is, as an error names it: {@code payload.workflow_step_data.step_data.list[2]}. */
final class JsonPaths {

  private JsonPaths() {
  }

  /** Where the current token is inside the container {@code depth} levels up: {@code .list[2]}. */
  static String within(JsonStreamContext current, int depth, JsonToken token) {
    StringBuilder path = new StringBuilder();
    JsonStreamContext context = current;
    List<String> segments = new ArrayList<>();
    for (int level = 0; level < depth && context != null; level++, context = context.getParent()) {
      segments.add(context.inArray() ? "[" + context.getCurrentIndex() + "]" : "." + context.getCurrentName());
    }
    for (int i = segments.size() - 1; i >= 0; i--) {
      path.append(segments.get(i));
    }
    return token == JsonToken.FIELD_NAME ? path + " (a name)" : path.toString();
  }

  /** The dotted path of where the parser is: {@code payload.workflow_step_data.step_data.list[2]}. */
  static String of(JsonStreamContext context) {
    List<String> segments = new ArrayList<>();
    for (JsonStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
      segments.add(at.inArray() ? "[" + Math.max(0, at.getCurrentIndex()) + "]"
          : at.getCurrentName() == null ? "" : "." + at.getCurrentName());
    }
    StringBuilder path = new StringBuilder();
    for (int i = segments.size() - 1; i >= 0; i--) {
      path.append(segments.get(i));
    }
    return path.length() == 0 ? "value" : path.charAt(0) == '.' ? path.substring(1) : path.toString();
  }
}
