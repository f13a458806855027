package io.omninode.bridge.adapter.metrics;

import io.vertx.core.http.HttpMethod;

import java.util.Set;

/**
 * The values a label may take where a client picks the value: the standard HTTP methods, anything
 * else one fixed value. Otherwise every made-up method would add series for good, to the heap and
 * to Prometheus.
 */
final class BoundedLabels {

  /** The method label of a request whose method is not one of HTTP's standard nine. */
  static final HttpMethod OTHER_METHOD = HttpMethod.valueOf("OTHER");

  private static final Set<String> STANDARD_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS",
      "PATCH", "TRACE", "CONNECT");

  private BoundedLabels() {
  }

  /** The method itself when it is a standard one, else {@link #OTHER_METHOD}. */
  static HttpMethod method(HttpMethod method) {
    return STANDARD_METHODS.contains(method.name()) ? method : OTHER_METHOD;
  }
}
