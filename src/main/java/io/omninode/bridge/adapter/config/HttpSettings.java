package io.omninode.bridge.adapter.config;

/** The web verticle's settings. */
public record HttpSettings(int port) {

  public static HttpSettings from(ConfigReader config) {
    return new HttpSettings(config.integer("port", 8080, 0, 65535));
  }
}
