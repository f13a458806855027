package io.omninode.bridge.adapter.store;

import io.omninode.bridge.adapter.config.AdapterSettings;
import io.omninode.bridge.adapter.config.DatabaseSettings;
import io.omninode.bridge.adapter.testsupport.PgTarget;
import io.omninode.bridge.adapter.testsupport.TestEnvironment;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Flyway migrations")
class MigrationsIT {

  private static final String SEED_DDL = "src/main/resources/db/migration/V1__seed_schema.sql";

  private String database;
  private DatabaseSettings settings;

  @BeforeEach
  void createDatabase() throws Exception {
    database = TestEnvironment.createDatabase("migrations");
    PgTarget pg = TestEnvironment.postgres();
    settings = AdapterSettings.from(new JsonObject()
        .put("kafka", new JsonObject().put("bootstrap_servers", "unused:9092"))
        .put("database", new JsonObject().put("host", pg.host()).put("port", pg.port()).put("database", database)
            .put("user", pg.user()).put("password", pg.password())), Map.of()).database();
  }

  @AfterEach
  void dropDatabase() throws Exception {
    TestEnvironment.dropDatabase(database);
  }

  @Test
  @DisplayName("an empty database gets the six seed tables and the query indexes; a second run applies nothing")
  void emptyDatabaseIsMigratedOnce() throws Exception {
    assertThat(Migrations.apply(settings)).isEqualTo(2);
    assertThat(Migrations.apply(settings)).isZero();

    assertThat(strings("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> "
        + "'flyway_schema_history' ORDER BY 1")).containsExactly("bridge_states", "fsm_transitions", "metadata_stamps",
        "node_registrations", "workflow_executions", "workflow_steps");
    assertThat(strings("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"))
        .contains("idx_workflow_steps_workflow_id", "idx_metadata_stamps_workflow", "idx_fsm_transitions_entity");
  }

  @Test
  @DisplayName("a database that already holds the seed schema and rows, without Flyway, is adopted as it is")
  void existingSeedSchemaIsAdopted() throws Exception {
    execute(Files.readString(Path.of(SEED_DDL)));
    execute("INSERT INTO workflow_executions (correlation_id, workflow_type, current_state, namespace, started_at) "
        + "VALUES ('11111111-1111-4111-8111-111111111111', 'legacy', 'PROCESSING', 'old', now())");

    int applied = Migrations.apply(settings);

    assertThat(applied).isEqualTo(2);
    assertThat(strings("SELECT workflow_type FROM workflow_executions")).containsExactly("legacy");
    assertThat(strings("SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank"))
        .containsExactly("0", "1", "2");
  }

  @Test
  @DisplayName("a database that cannot be connected to is named as host:port/database, with the driver's reason")
  void unconnectableDatabaseIsNamed() {
    DatabaseSettings missing = new DatabaseSettings(settings.host(), settings.port(), database + "_missing",
        settings.user(), settings.password(), null, 1, 1, 0, true, "disable", null);

    assertThatThrownBy(() -> Migrations.apply(missing)).hasMessage("cannot connect to database "
        + settings.host() + ":" + settings.port() + "/" + database + "_missing for migrations: FATAL: database \""
        + database + "_missing\" does not exist");
  }

  private void execute(String sql) throws SQLException {
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private List<String> strings(String sql) throws SQLException {
    try (Connection connection = connect(); Statement statement = connection.createStatement();
         ResultSet rs = statement.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (rs.next()) {
        values.add(rs.getString(1));
      }
      return values;
    }
  }

  private Connection connect() throws SQLException {
    PgTarget pg = TestEnvironment.postgres();
    return DriverManager.getConnection(pg.jdbcUrl(database), pg.user(), pg.password());
  }
}
