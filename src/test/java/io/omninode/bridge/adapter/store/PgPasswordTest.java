package io.omninode.bridge.adapter.store;

import io.omninode.bridge.adapter.config.DatabaseSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("The password of each new connection, from database.password or database.password_file")
class PgPasswordTest {

  private final Vertx vertx = Vertx.vertx();

  @TempDir
  Path directory;

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static DatabaseSettings settings(String password, Path passwordFile) {
    return new DatabaseSettings("db.example", 5432, "bridge_db", "bridge", password,
        passwordFile == null ? null : passwordFile.toString(), 4, 256, 0, true, "disable", null);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("each new connection of the pool gets the file's content at that moment, without the newline")
  void eachConnectionReadsTheFileAgain() throws Exception {
    Path file = Files.writeString(directory.resolve("db-password"), "first\n");
    Supplier<Future<SqlConnectOptions>> connections = PgPools.eachConnection(vertx, settings("", file));

    SqlConnectOptions before = await(connections.get());
    Files.writeString(file, "second\r\n");
    SqlConnectOptions after = await(connections.get());

    assertThat(before.getPassword()).isEqualTo("first");
    assertThat(after.getPassword()).isEqualTo("second");
    assertThat(after.getUser()).isEqualTo("bridge");
    assertThat(after.getProperties()).containsEntry("application_name", PgPools.APPLICATION_NAME);
  }

  @Test
  @DisplayName("the migrations' blocking read follows the file too; only line breaks at the end are dropped")
  void blockingReadFollowsTheFile() throws Exception {
    Path file = Files.writeString(directory.resolve("db-password"), " spaced token \n\n");
    DatabaseSettings settings = settings("", file);

    assertThat(PgPassword.read(settings)).isEqualTo(" spaced token ");
    Files.writeString(file, "line1\nline2");
    assertThat(PgPassword.read(settings)).isEqualTo("line1\nline2");
  }

  @Test
  @DisplayName("without a file, database.password is used as it is")
  void inlinePassword() throws Exception {
    assertThat(PgPassword.read(settings("inline", null))).isEqualTo("inline");
    assertThat(await(PgPools.eachConnection(vertx, settings("inline", null)).get()).getPassword()).isEqualTo("inline");
  }

  @Test
  @DisplayName("an empty or vanished file fails that connection naming the key and the path, never a content")
  void emptyOrMissingFile() throws Exception {
    Path file = Files.writeString(directory.resolve("db-password"), "\n");
    DatabaseSettings settings = settings("", file);

    assertThatThrownBy(() -> PgPassword.read(settings)).isInstanceOf(IOException.class)
        .hasMessage("database.password_file " + file + " is empty");
    assertThat(PgPools.eachConnection(vertx, settings).get().toCompletionStage().toCompletableFuture()
        .handle((options, failure) -> failure).get(10, TimeUnit.SECONDS))
        .hasMessage("database.password_file " + file + " is empty");

    Files.delete(file);
    assertThatThrownBy(() -> PgPassword.read(settings))
        .hasMessage("database.password_file " + file + " could not be read (NoSuchFileException)");
    assertThat(PgPools.eachConnection(vertx, settings).get().toCompletionStage().toCompletableFuture()
        .handle((options, failure) -> failure).get(10, TimeUnit.SECONDS))
        .hasMessage("database.password_file " + file + " could not be read (NoSuchFileException)");
  }
}
