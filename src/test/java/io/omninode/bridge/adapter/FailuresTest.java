package io.omninode.bridge.adapter;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("A failure told in one line")
class FailuresTest {

  @Test
  @DisplayName("the failure's own message says what, and its root cause is added when that says more about why")
  void rootCauseIsAddedWhenItSaysMore() {
    Throwable failure = new IllegalStateException("cannot connect for migrations",
        new IOException("wrapped", new ConnectException("Connection refused")));

    assertThat(Failures.describe(failure))
        .isEqualTo("cannot connect for migrations (java.net.ConnectException: Connection refused)");
  }

  @Test
  @DisplayName("a root cause the message already quotes is not said twice")
  void rootCauseIsNotRepeated() {
    Throwable failure = new IllegalStateException("cannot listen on http.port 8080: Address already in use",
        new IOException("Address already in use"));

    assertThat(Failures.describe(failure)).isEqualTo("cannot listen on http.port 8080: Address already in use");
  }

  @Test
  @DisplayName("a failure without a message is named by its type")
  void failureWithoutMessageIsNamedByItsType() {
    assertThat(Failures.describe(new NullPointerException())).isEqualTo("java.lang.NullPointerException");
  }
}
