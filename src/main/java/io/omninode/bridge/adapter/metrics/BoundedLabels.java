package io.omninode.bridge.adapter.metrics;

import io.omninode.bridge.adapter.contract.Addresses;
import io.vertx.core.http.HttpMethod;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

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

  /** Every constant of {@link Addresses}: read from the class, so that a new address is known without a second list. */
  private static final Set<String> KNOWN_ADDRESSES = Arrays.stream(Addresses.class.getFields())
      .filter(field -> Modifier.isStatic(field.getModifiers()) && field.getType() == String.class)
      .map(BoundedLabels::constant)
      .collect(Collectors.toUnmodifiableSet());

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

  private static String constant(Field field) {
    try {
      return (String) field.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot read " + field, e);
    }
  }
}
