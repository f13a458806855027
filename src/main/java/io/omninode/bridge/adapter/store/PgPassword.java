package io.omninode.bridge.adapter.store;

import io.omninode.bridge.adapter.config.DatabaseSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The password a new connection logs in with: {@code database.password}, or the content of
 * {@code database.password_file} read again for each connection, so that a rotated secret or a token a
 * sidecar refreshes is used without a restart. A failure names the file, never its content.
 */
final class PgPassword {

  /** What {@code echo} or an editor leaves after the secret; a password never ends in a line break. */
  private static final Pattern TRAILING_LINE_BREAKS = Pattern.compile("[\r\n]+\\z");

  private PgPassword() {
  }

  /** Blocking: for pgjdbc, on the thread that runs the migrations. */
  static String read(DatabaseSettings settings) throws IOException {
    if (settings.passwordFile() == null) {
      return settings.password();
    }
    String password;
    try {
      password = withoutLineBreaks(Files.readString(Path.of(settings.passwordFile()), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw unreadable(settings, e);
    }
    if (password.isEmpty()) {
      throw empty(settings);
    }
    return password;
  }

  /** For the reactive pool: the file is read off the event loop. */
  static Future<String> read(Vertx vertx, DatabaseSettings settings) {
    if (settings.passwordFile() == null) {
      return Future.succeededFuture(settings.password());
    }
    return vertx.fileSystem().readFile(settings.passwordFile())
        .recover(failure -> Future.failedFuture(unreadable(settings, failure)))
        .map(content -> withoutLineBreaks(content.toString(StandardCharsets.UTF_8)))
        .compose(password -> password.isEmpty() ? Future.failedFuture(empty(settings)) : Future.succeededFuture(password));
  }

  private static IOException unreadable(DatabaseSettings settings, Throwable failure) {
    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
    return new IOException("database.password_file " + settings.passwordFile() + " could not be read ("
        + cause.getClass().getSimpleName() + ")", failure);
  }

  private static IOException empty(DatabaseSettings settings) {
    return new IOException("database.password_file " + settings.passwordFile() + " is empty");
  }

  private static String withoutLineBreaks(String content) {
    return TRAILING_LINE_BREAKS.matcher(content).replaceFirst("");
  }
}
