package io.omninode.bridge.adapter.config;

/** A missing or invalid configuration value; the message names the key. */
public final class ConfigException extends RuntimeException {

  public ConfigException(String key, String problem) {
    super("Invalid configuration '" + key + "': " + problem);
  }
}
