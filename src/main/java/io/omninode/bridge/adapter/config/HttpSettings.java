package io.omninode.bridge.adapter.config;

/**
 * The web verticle's settings: its port, and the name of the Micrometer registry that Vert.x and
 * the adapter share and {@code /metrics} exports (one per Vert.x instance).
 */
public record HttpSettings(int port, String metricsRegistry) {

  public static HttpSettings from(ConfigReader config) {
    return new HttpSettings(
        config.integer("port", 0, 65535),
        config.string("metrics_registry"));
  }
}
