package io.omninode.bridge.adapter.store;

import io.omninode.bridge.adapter.contract.ErrorType;
import io.omninode.bridge.adapter.contract.ProcessingFailure;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

class SqlErrorsTest {

  private static PgException sqlState(String state) {
    return new PgException("refused", "ERROR", state, null);
  }

  @ParameterizedTest(name = "SQLSTATE {0} is the event's fault")
  @ValueSource(strings = {"22001", "22P02", "22007", "23505", "23502", "23514"})
  void dataAndIntegrityErrorsArePermanent(String state) {
    assertThat(SqlErrors.classify(sqlState(state))).isEqualTo(ErrorType.DATA_ERROR);
    assertThat(SqlErrors.classify(sqlState(state)).isTransient()).isFalse();
  }

  @ParameterizedTest(name = "SQLSTATE {0} is the database's trouble")
  @ValueSource(strings = {"08006", "08001", "53300", "53100", "57P01", "57014", "40001", "40P01", "55000", "23503"})
  void connectionResourceAndConcurrencyErrorsAreTransient(String state) {
    assertThat(SqlErrors.classify(sqlState(state))).isEqualTo(ErrorType.DATABASE_UNAVAILABLE);
  }

  @Test
  @DisplayName("a failure's SQLSTATE class is its first two characters, or none when PostgreSQL gave no SQLSTATE")
  void sqlStateClassIsBounded() {
    assertThat(SqlErrors.sqlStateClass(sqlState("23514"))).isEqualTo("23");
    assertThat(SqlErrors.sqlStateClass(sqlState("55P03"))).isEqualTo("55");
    assertThat(SqlErrors.sqlStateClass(sqlState("57014"))).isEqualTo("57");
    assertThat(SqlErrors.sqlStateClass(sqlState(null))).isEqualTo("none");
    assertThat(SqlErrors.sqlStateClass(sqlState("not a state"))).isEqualTo("none");
    assertThat(SqlErrors.sqlStateClass(ClosedConnectionException.INSTANCE)).isEqualTo("none");
    assertThat(SqlErrors.sqlStateClass(io.vertx.circuitbreaker.TimeoutException.INSTANCE)).isEqualTo("none");
  }

  @Test
  @DisplayName("a refused or lost connection, a timeout and an open breaker are transient")
  void networkFailuresAreTransient() {
    assertThat(SqlErrors.classify(new ConnectException("Connection refused")).isTransient()).isTrue();
    assertThat(SqlErrors.classify(ClosedConnectionException.INSTANCE).isTransient()).isTrue();
    assertThat(SqlErrors.classify(io.vertx.circuitbreaker.TimeoutException.INSTANCE).isTransient()).isTrue();
    assertThat(SqlErrors.classify(OpenCircuitException.INSTANCE)).isEqualTo(ErrorType.CIRCUIT_OPEN);
  }

  @Test
  @DisplayName("an exception only code throws, or one wrapped as the adapter's own, is a processing error, never the database's")
  void programmingErrorsAreTheAdaptersOwn() {
    for (RuntimeException thrown : new RuntimeException[] {new NullPointerException(), new ClassCastException(),
        new ArrayIndexOutOfBoundsException(3), new ArithmeticException("long overflow"),
        new java.time.DateTimeException("Zone offset not in valid range"), new IllegalArgumentException(),
        new ProcessingFailure(new IllegalStateException("anything"))}) {
      assertThat(SqlErrors.classify(thrown)).as(thrown.toString()).isEqualTo(ErrorType.PROCESSING_ERROR);
      assertThat(SqlErrors.classify(thrown).isTransient()).isFalse();
    }
    assertThat(SqlErrors.describe(new ProcessingFailure(new ArithmeticException("long overflow"))))
        .isEqualTo("ArithmeticException: long overflow");
  }

  @Test
  @DisplayName("what the SQL client and Vert.x throw, and an unknown state, stay the database's trouble")
  void clientFailuresStayTransient() {
    assertThat(SqlErrors.classify(new io.vertx.core.VertxException("Pool closed")).isTransient()).isTrue();
    assertThat(SqlErrors.classify(new IllegalStateException("workflow rows vanished")).isTransient()).isTrue();
    assertThat(SqlErrors.classify(new io.vertx.core.impl.NoStackTraceThrowable("Timeout")).isTransient()).isTrue();
  }

  @Test
  @DisplayName("the description names the SQLSTATE")
  void describeNamesTheSqlState() {
    assertThat(SqlErrors.describe(sqlState("22001"))).isEqualTo("SQLSTATE 22001: refused");
  }
}
