package io.omninode.bridge.adapter.metrics;

import io.omninode.bridge.adapter.contract.Addresses;
import io.vertx.core.http.HttpMethod;

import java.util.Set;

/**
 * The values a label may take where a client or a cluster peer picks the value: the standard HTTP
 * methods and the adapter's own event-bus addresses, anything else one fixed value. Otherwise
 * every made-up method or address would add series for good, to the heap and to Prometheus.
 */
final class BoundedLabels {

  /** The method label of a request whose method is not one of HTTP's standard nine. */
  static final HttpMethod OTHER_METHOD = HttpMethod.valueOf("OTHER");

  /** The address label of a message to an address the adapter neither knows nor handles. */
  static final String OTHER_ADDRESS = "other";

  private static final Set<String> STANDARD_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS",
      "PATCH", "TRACE", "CONNECT");

  private static final Set<String> KNOWN_ADDRESSES = Set.copyOf(Addresses.ALL);

  private BoundedLabels() {
  }

  /** The method itself when it is a standard one, else {@link #OTHER_METHOD}. */
  static HttpMethod method(HttpMethod method) {
    return STANDARD_METHODS.contains(method.name()) ? method : OTHER_METHOD;
  }

  /** One of the adapter's own addresses ({@link Addresses}). */
  static boolean isKnownAddress(String address) {
    return KNOWN_ADDRESSES.contains(address);
  }
}
