package io.omninode.bridge.adapter.store;

import io.omninode.bridge.adapter.config.DatabaseSettings;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import java.net.ConnectException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLHandshakeException;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("A connection failure that no retry fixes, told from an outage")
class ConnectFailuresTest {

  private static final DatabaseSettings SETTINGS =
      new DatabaseSettings("db.example", 5432, "bridge_db", "bridge", "", null, 4, 256, 0, true, "verify-full",
          "/etc/ca.pem");

  private static <T extends Throwable> T causedBy(T failure, Throwable cause) {
    failure.initCause(cause);
    return failure;
  }

  @Test
  @DisplayName("a certificate that does not chain to the root certificate is not trusted, naming the file")
  void unknownCaIsNotTrusted() {
    Throwable failure = causedBy(new SSLHandshakeException("PKIX path building failed"),
        causedBy(new CertificateException("PKIX path building failed"), new CertPathBuilderException("no path")));

    assertThat(ConnectFailures.misconfiguration(failure, SETTINGS)).hasValueSatisfying(reason -> assertThat(reason)
        .contains("not trusted: it is not signed by the CA in database.ssl_root_cert /etc/ca.pem"));
  }

  @Test
  @DisplayName("a certificate for other names names the host it does not match")
  void hostNameMismatchIsNamed() {
    Throwable failure = causedBy(new SSLHandshakeException("No subject alternative DNS name matching db.example found."),
        new CertificateException("No subject alternative DNS name matching db.example found."));

    assertThat(ConnectFailures.misconfiguration(failure, SETTINGS))
        .hasValueSatisfying(reason -> assertThat(reason).startsWith("the server's certificate does not match host 'db.example'"));
  }

  @Test
  @DisplayName("any other handshake failure is a misconfiguration too, with the innermost reason")
  void otherHandshakeFailures() {
    Throwable failure = causedBy(new VertxException("upgrade failed"), new SSLHandshakeException("no cipher suites in common"));

    assertThat(ConnectFailures.misconfiguration(failure, SETTINGS)).hasValue("TLS could not be set up: no cipher suites in common");
  }

  @Test
  @DisplayName("a refused login (SQLSTATE class 28) from either client names the user")
  void refusedLogin() {
    assertThat(ConnectFailures.misconfiguration(new PgException("password authentication failed", "FATAL", "28P01", null),
        SETTINGS)).hasValueSatisfying(reason -> assertThat(reason).startsWith("the server refused the login of user 'bridge'"));
    assertThat(ConnectFailures.misconfiguration(new PSQLException("no pg_hba.conf entry", PSQLState.INVALID_AUTHORIZATION_SPECIFICATION),
        SETTINGS)).isPresent();
  }

  @Test
  @DisplayName("a refused login names where the password came from, by key and file, and describe() says so for /health")
  void refusedLoginNamesThePasswordSource() {
    DatabaseSettings fromFile = new DatabaseSettings("db.example", 5432, "bridge_db", "bridge", "", "/run/secrets/db-password",
        4, 256, 0, true, "disable", null);
    PgException refused = new PgException("password authentication failed for user \"bridge\"", "FATAL", "28P01", null);

    assertThat(ConnectFailures.describe(refused, fromFile)).isEqualTo("the server refused the login of user 'bridge' "
        + "(password from database.password_file /run/secrets/db-password): FATAL: password authentication failed for "
        + "user \"bridge\" (28P01)");
    assertThat(ConnectFailures.describe(refused, SETTINGS)).contains("(password from database.password)");
    assertThat(ConnectFailures.describe(new ConnectException("Connection refused"), fromFile)).isEqualTo("Connection refused");
  }

  @Test
  @DisplayName("a database that is down, restarting or refusing connections for now is an outage, not a misconfiguration")
  void outagesAreNotMisconfigurations() {
    assertThat(ConnectFailures.misconfiguration(new ConnectException("Connection refused"), SETTINGS)).isEmpty();
    assertThat(ConnectFailures.misconfiguration(new PgException("the database system is starting up", "FATAL", "57P03", null),
        SETTINGS)).isEmpty();
    assertThat(ConnectFailures.misconfiguration(new PgException("not accepting connections", "FATAL", "55000", null),
        SETTINGS)).isEmpty();
  }
}
