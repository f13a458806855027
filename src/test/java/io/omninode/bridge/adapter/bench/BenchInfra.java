package io.omninode.bridge.adapter.bench;

import io.omninode.bridge.adapter.config.KafkaSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The benchmark's PostgreSQL (the local server) and broker chores: fresh databases and topics, row counts. */
final class BenchInfra {

  static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
  static final List<String> TABLES = List.of("workflow_executions", "workflow_steps", "metadata_stamps",
      "fsm_transitions", "bridge_states", "node_registrations");

  private final String bootstrap;

  BenchInfra(String bootstrap) {
    this.bootstrap = bootstrap;
  }

  static Connection connect(String database) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database, "postgres", "");
  }

  static void recreateDatabase(String name) throws SQLException {
    try (Connection connection = DriverManager.getConnection(ADMIN_URL, "postgres", "");
         Statement statement = connection.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      statement.execute("CREATE DATABASE " + name + " OWNER bridge_user");
    }
  }

  static Map<String, Long> rowCounts(String database) throws SQLException {
    Map<String, Long> counts = new LinkedHashMap<>();
    try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
      for (String table : TABLES) {
        try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table)) {
          rs.next();
          counts.put(table, rs.getLong(1));
        }
      }
    }
    return counts;
  }

  static String serverVersion() throws SQLException {
    try (Connection connection = DriverManager.getConnection(ADMIN_URL, "postgres", "");
         ResultSet rs = connection.createStatement().executeQuery("SHOW server_version")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Every topic the adapter subscribes to under {@code prefix}, leaders elected. */
  void createTopics(String prefix, int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      List<String> topics = KafkaSettings.defaultTopics(prefix);
      admin.createTopics(topics.stream().map(topic -> new NewTopic(topic, partitions, (short) 1)).toList())
          .all().get(60, TimeUnit.SECONDS);
      // a new partition refuses writes until its leader is known everywhere; producing earlier only causes retries
      long deadline = System.currentTimeMillis() + 30_000;
      while (!admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
          .flatMap(description -> description.partitions().stream()).allMatch(partition -> partition.leader() != null)
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
      }
    }
  }

  /** A run's topics (and their dead-letter topics) go with it: the broker does not accumulate partitions. */
  void deleteTopics(String prefix) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      List<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
          .filter(topic -> topic.startsWith(prefix + ".")).toList();
      admin.deleteTopics(topics).all().get(60, TimeUnit.SECONDS);
    }
  }
}
