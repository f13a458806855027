package io.omninode.bridge.adapter;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The launcher's command line as it was given. The launcher only says that an option "does not
 * point to a valid JSON file"; this names the file and why.
 */
public final class ProgramArguments {

  static final List<String> CONF = List.of("-conf", "--conf");
  static final List<String> OPTIONS = List.of("-options", "--options", "-vertx-options", "--vertx-options");
  static final List<String> DEPLOYMENT_OPTIONS = List.of("-deployment-options", "--deployment-options");

  private final List<String> args;

  ProgramArguments(String[] args) {
    this.args = List.of(args);
  }

  /** Whether the launcher was asked to join a cluster ({@code -cluster}). */
  boolean clustered() {
    return args.stream().anyMatch(arg -> arg.equalsIgnoreCase("-cluster") || arg.equalsIgnoreCase("--cluster"));
  }

  /** The value given to an option under any of its names, in any case, as {@code -name value} or {@code -name=value}. */
  Optional<String> value(List<String> names) {
    String value = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      int equals = arg.indexOf('=');
      String name = equals < 0 ? arg : arg.substring(0, equals);
      if (names.stream().anyMatch(name::equalsIgnoreCase)) {
        value = equals >= 0 ? arg.substring(equals + 1) : i + 1 < args.size() ? args.get(i + 1) : null;
      }
    }
    return Optional.ofNullable(value);
  }

  /**
   * Why a value the launcher could read neither as a JSON file nor as a JSON string was refused.
   * An inline value is not repeated: it may hold a password.
   */
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
