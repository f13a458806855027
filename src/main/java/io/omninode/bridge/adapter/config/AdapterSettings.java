package io.omninode.bridge.adapter.config;

import io.vertx.core.json.JsonObject;

import java.util.Map;

/** The whole configuration, validated once at start-up; environment overrides applied last. */
public record AdapterSettings(
    HttpSettings http, KafkaSettings kafka, DatabaseSettings database, OperationSettings operations,
    ResilienceSettings resilience, ValidationSettings validation, ClusterSettings cluster) {

  public static AdapterSettings from(JsonObject config, Map<String, String> env) {
    return new AdapterSettings(
        HttpSettings.from(ConfigReader.section(config, env, "http")),
        KafkaSettings.from(ConfigReader.section(config, env, "kafka")),
        DatabaseSettings.from(ConfigReader.section(config, env, "database")),
        OperationSettings.from(ConfigReader.section(config, env, "operations")),
        ResilienceSettings.from(ConfigReader.section(config, env, "resilience")),
        ValidationSettings.from(ConfigReader.section(config, env, "validation")),
        ClusterSettings.from(ConfigReader.section(config, env, "cluster")));
  }
}
