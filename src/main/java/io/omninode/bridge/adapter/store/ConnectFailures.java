package io.omninode.bridge.adapter.store;

import io.omninode.bridge.adapter.config.DatabaseSettings;
import io.vertx.pgclient.PgException;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Tells a connection failure that retrying cannot fix (TLS refused, login refused: the configuration is
 * wrong) from an outage, and says why in words an operator can act on, naming keys and files but never
 * the password. Reads the JDK's and both clients' exceptions, whichever client connected.
 */
public final class ConnectFailures {

  private ConnectFailures() {
  }

  /** What an operator should read about {@code failure}: why the configuration cannot work, else its own message. */
  public static String describe(Throwable failure, DatabaseSettings settings) {
    return misconfiguration(failure, settings).orElseGet(failure::getMessage);
  }

  /** Why the configuration cannot work, or empty when the failure may pass (the database is down, say). */
  static Optional<String> misconfiguration(Throwable failure, DatabaseSettings settings) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable cause = failure; cause != null && !chain.contains(cause); cause = cause.getCause()) {
      chain.add(cause);
    }
    Optional<String> known = chain.stream().flatMap(cause -> reasonOf(cause, settings).stream()).findFirst();
    if (known.isPresent() || chain.stream().noneMatch(SSLException.class::isInstance)) {
      return known;
    }
    return Optional.of("TLS could not be set up: " + chain.get(chain.size() - 1).getMessage());
  }

  /** The TLS settings in force, named by their keys. */
  static String tlsSettings(DatabaseSettings settings) {
    return "database.ssl_mode=" + settings.sslMode()
        + (settings.sslRootCert() == null ? "" : ", database.ssl_root_cert=" + settings.sslRootCert());
  }

  private static Optional<String> reasonOf(Throwable cause, DatabaseSettings settings) {
    if (cause instanceof CertificateException && isHostMismatch(cause.getMessage())) {
      return Optional.of("the server's certificate does not match host '" + settings.host() + "' ("
          + cause.getMessage() + "); connect by a name the certificate lists, or use ssl_mode verify-ca");
    }
    if (cause instanceof CertPathBuilderException) {
      return Optional.of("the server's certificate is not trusted: it is not signed by the CA in "
          + "database.ssl_root_cert " + settings.sslRootCert() + " (" + cause.getMessage() + ")");
    }
    if (cause instanceof CertPathValidatorException) {
      return Optional.of("the server's certificate is not trusted: " + cause.getMessage());
    }
    String sqlState = cause instanceof PgException pg ? pg.getSqlState()
        : cause instanceof SQLException sql ? sql.getSQLState() : null;
    if (sqlState != null && sqlState.startsWith("28")) {
      return Optional.of("the server refused the login of user '" + settings.user() + "' (password from "
          + settings.passwordSource() + "): " + cause.getMessage());
    }
    return Optional.empty();
  }

  /** The JDK's host-name check (sun.security.util.HostnameChecker) has no exception type of its own. */
  private static boolean isHostMismatch(String message) {
    return message != null && (message.startsWith("No subject alternative") || message.startsWith("No name matching"));
  }
}
