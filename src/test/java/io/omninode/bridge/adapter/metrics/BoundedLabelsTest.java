package io.omninode.bridge.adapter.metrics;

import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Label values a client picks fold into fixed ones")
class BoundedLabelsTest {

  @ParameterizedTest
  @ValueSource(strings = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT"})
  @DisplayName("a standard HTTP method labels as itself")
  void standardMethodsKeepTheirName(String name) {
    HttpMethod method = HttpMethod.valueOf(name);

    assertThat(BoundedLabels.method(method)).isSameAs(method);
  }

  @ParameterizedTest
  @ValueSource(strings = {"FOO", "get", "Post", "PROPFIND", "MKCOL", "PRI", "X", "OTHER"})
  @DisplayName("any other method, Vert.x's WebDAV names and lower-case spellings included, labels as OTHER")
  void otherMethodsFoldIntoOther(String name) {
    assertThat(BoundedLabels.method(HttpMethod.valueOf(name)).name()).isEqualTo("OTHER");
  }
}
