package io.omninode.bridge.adapter.config;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * A command-line option whose value is a JSON object, given as a file or as the JSON itself, as
 * Vert.x's launcher takes {@code -conf}. Where the launcher only says that a value "does not point
 * to a valid JSON file", this names the file and why.
 */
public final class JsonOption {

  private JsonOption() {
  }

  /** The object the value holds or names; an {@link IllegalArgumentException} saying why not. */
  public static JsonObject read(String option, String value) {
    try {
      return new JsonObject(value.startsWith("{") ? value : Files.readString(Path.of(value)));
    } catch (IOException | RuntimeException unreadable) {
      throw new IllegalArgumentException(unreadable(option, value));
    }
  }

  /** Why a value that is neither a readable JSON file nor a JSON object was refused; an inline value is not repeated, it may hold a password. */
  public static String unreadable(String option, String value) {
    if (value.strip().startsWith("{")) {
      return "the " + option + " value is not a valid JSON object";
    }
    return "the " + option + " file " + value + " could not be read: " + reason(value);
  }

  private static String reason(String value) {
    Path path;
    try {
      path = Path.of(value);
    } catch (InvalidPathException e) {
      return "not a valid path";
    }
    if (!Files.exists(path)) {
      return "no such file";
    }
    if (Files.isDirectory(path)) {
      return "it is a directory";
    }
    return Files.isReadable(path) ? "it does not hold a JSON object" : "permission denied";
  }
}
