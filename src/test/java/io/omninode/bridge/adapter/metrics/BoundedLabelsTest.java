package io.omninode.bridge.adapter.metrics;

import io.omninode.bridge.adapter.contract.Addresses;
import io.omninode.bridge.adapter.contract.OperationType;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Label values a client or a peer picks fold into fixed ones")
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

  @Test
  @DisplayName("every operation's address and the ingest statistics' are known addresses")
  void theAdaptersAddressesAreKnown() {
    assertThat(Arrays.stream(OperationType.values()).map(OperationType::address))
        .allSatisfy(address -> assertThat(BoundedLabels.isKnownAddress(address)).as(address).isTrue());
    assertThat(BoundedLabels.isKnownAddress(Addresses.INGEST_STATS)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"bridge.db.persist_anything", "bridge.db.", "orders", "", "BRIDGE.DB.PERSIST_WORKFLOW_STEP",
      "__vertx.reply.1"})
  @DisplayName("an address that is not one of the adapter's constants is not known")
  void otherAddressesAreNotKnown(String address) {
    assertThat(BoundedLabels.isKnownAddress(address)).isFalse();
  }
}
