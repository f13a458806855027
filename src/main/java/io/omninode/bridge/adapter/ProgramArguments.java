package io.omninode.bridge.adapter;

import io.omninode.bridge.adapter.config.JsonOption;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Optional;

/** The launcher's command line as it was given, for what the launcher does not tell its hooks. */
final class ProgramArguments {

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

  /**
   * Why an option was given but not read: the launcher passes null for a JSON option it could not
   * read, and carries on without it.
   */
  Optional<String> unreadable(List<String> option, JsonObject parsed) {
    return parsed != null ? Optional.empty() : value(option).map(value -> JsonOption.unreadable(option.get(0), value));
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
}
