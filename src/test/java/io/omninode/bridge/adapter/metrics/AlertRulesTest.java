package io.omninode.bridge.adapter.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert rules and the dashboard read only series the adapter exports (so a renamed meter cannot
 * leave an alert that never fires); {@code promtool check rules} checks the rules' syntax where it
 * is installed ({@code .ci/run}), ObservabilityIT the names against a running adapter's scrape.
 */
@DisplayName("The alert rules and the dashboard read only metrics the adapter exports")
class AlertRulesTest {

  static final Path RULES = Path.of("conf/prometheus/alerts.yml");
  static final Path DASHBOARD = Path.of("conf/grafana/bridge-db-adapter-dashboard.json");
  /** Registered by the verticles through {@link AdapterMetrics#gauge}, not by AdapterMetrics itself. */
  private static final Set<String> VERTICLE_GAUGES = Set.of("bridge_circuit_breaker_state", "bridge_events_in_flight",
      "bridge_events_in_flight_bytes");
  /** Prometheus's own per target, and Vert.x's and the JVM's meters: ObservabilityIT finds them in a real scrape. */
  private static final List<String> NOT_THE_ADAPTERS = List.of("up", "vertx_", "jvm_");

  @Test
  @DisplayName("every rule has a name, an expression and a summary, and reads only exported metrics")
  void everyRuleReadsExportedMetrics() throws IOException {
    Map<String, String> rules = ruleExpressions();

    assertThat(rules).containsKeys("BridgeDbConsumerLagSecondsHigh", "BridgeDbStatementErrors",
        "BridgeDbDeadLettersLastHour");
    Set<String> exported = exportedNames();
    rules.forEach((alert, expr) -> assertThat(PromQlNames.of(expr)).as(alert + ": " + expr).isNotEmpty()
        .allMatch(name -> isExported(name, exported), "exported by the adapter"));
  }

  @Test
  @DisplayName("every dashboard query reads only exported metrics, lag in seconds, SQLSTATE classes and dead letters among them")
  void everyDashboardQueryReadsExportedMetrics() throws IOException {
    List<String> queries = dashboardQueries();

    assertThat(queries).anyMatch(query -> query.contains("bridge_consumer_lag_seconds"))
        .anyMatch(query -> query.contains("sqlstate_class")).anyMatch(query -> query.contains("bridge_dead_letters_total"));
    Set<String> exported = exportedNames();
    queries.forEach(query -> assertThat(PromQlNames.of(query)).as(query).isNotEmpty()
        .allMatch(name -> isExported(name, exported), "exported by the adapter"));
  }

  @Test
  @DisplayName("the names of an expression are its series, not its functions, labels, keywords or numbers")
  void namesOfAnExpression() {
    assertThat(PromQlNames.of("sum by (instance) (rate(a_total{outcome=\"x y\"}[5m])) > 1.5e3 and on (instance) b == 0"))
        .containsExactly("a_total", "b");
    assertThat(PromQlNames.of("histogram_quantile(0.95, sum by (le) (rate(c_bucket{i=~\"$instance\"}[1m])))"))
        .containsExactly("c_bucket");
    assertThat(isExported("bridge_no_such_thing_total", exportedNames())).isFalse();
  }

  static Map<String, String> ruleExpressions() throws IOException {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(RULES.toFile());
    Map<String, String> rules = new LinkedHashMap<>();
    for (JsonNode group : root.get("groups")) {
      for (JsonNode rule : group.get("rules")) {
        assertThat(rule.path("alert").asText()).as(rule.toString()).isNotBlank();
        assertThat(rule.path("annotations").path("summary").asText()).as(rule.toString()).isNotBlank();
        rules.put(rule.get("alert").asText(), rule.get("expr").asText());
      }
    }
    return rules;
  }

  static List<String> dashboardQueries() throws IOException {
    List<String> queries = new ArrayList<>();
    for (Object panel : new JsonObject(Files.readString(DASHBOARD)).getJsonArray("panels")) {
      ((JsonObject) panel).getJsonArray("targets", new JsonArray()).forEach(target ->
          queries.add(((JsonObject) target).getString("expr")));
    }
    return queries;
  }

  private static boolean isExported(String name, Set<String> exported) {
    return exported.contains(name) || VERTICLE_GAUGES.contains(name)
        || NOT_THE_ADAPTERS.stream().anyMatch(other -> other.endsWith("_") ? name.startsWith(other) : name.equals(other));
  }

  /** The sample names of a scrape after every meter of {@link AdapterMetrics} recorded once. */
  private static Set<String> exportedNames() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AdapterMetrics metrics = new AdapterMetrics(registry);
    metrics.forEventType("NODE_HEARTBEAT").consumed();
    metrics.forEventType("NODE_HEARTBEAT").retried();
    metrics.forEventType("NODE_HEARTBEAT").persisted(1);
    metrics.processed("NODE_HEARTBEAT", "dead_lettered", "DATA_ERROR");
    metrics.operation("update_node_heartbeat", "success", 1_000, 1);
    metrics.stage("fetch").record(1_000);
    metrics.deadLetterWriteFailed("other", "fallback");
    metrics.consumerLag(Map.of("t-0", 1L));
    metrics.consumerLagSeconds(Map.of("t-0", 1L));
    metrics.oldestUncommitted(Map.of("t-0", 1L));
    metrics.failures().statementFailed("update_node_heartbeat", "none");
    metrics.failures().deadLettered("t.dlq", "DATA_ERROR");
    Set<String> names = new TreeSet<>();
    Stream.of(registry.scrape().split("\n")).filter(line -> !line.isBlank() && !line.startsWith("#"))
        .map(line -> line.split("[{ ]", 2)[0]).forEach(names::add);
    return names;
  }
}
