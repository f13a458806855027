package io.omninode.bridge.adapter.store;

import io.omninode.bridge.adapter.config.DatabaseSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.SqlConnectOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(VertxExtension.class)
@DisplayName("The password of each new connection, from database.password or database.password_file")
class PgPasswordTest {

  private Vertx vertx;

  @TempDir
  Path directory;

  @BeforeEach
  void vertx(Vertx vertx) {
    this.vertx = vertx;
  }

  private static DatabaseSettings settings(String password, Path passwordFile) {
    return new DatabaseSettings("db.example", 5432, "bridge_db", "bridge", password,
        passwordFile == null ? null : passwordFile.toString(), 4, 256, 0, true, "disable", null);
  }

  @Test
  @DisplayName("each new connection of the pool gets the file's content at that moment, without the newline")
  void eachConnectionReadsTheFileAgain(VertxTestContext test) throws Exception {
    Path file = Files.writeString(directory.resolve("db-password"), "first\n");
    Supplier<Future<SqlConnectOptions>> connections = PgPools.eachConnection(vertx, settings("", file));

    connections.get()
        .compose(before -> {
          test.verify(() -> assertThat(before.getPassword()).isEqualTo("first"));
          return vertx.fileSystem().writeFile(file.toString(), Buffer.buffer("second\r\n"));
        })
        .compose(written -> connections.get())
        .onComplete(test.succeeding(after -> test.verify(() -> {
          assertThat(after.getPassword()).isEqualTo("second");
          assertThat(after.getUser()).isEqualTo("bridge");
          assertThat(after.getProperties()).containsEntry("application_name", PgPools.APPLICATION_NAME);
          test.completeNow();
        })));
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
  void inlinePassword(VertxTestContext test) throws Exception {
    assertThat(PgPassword.read(settings("inline", null))).isEqualTo("inline");
    PgPools.eachConnection(vertx, settings("inline", null)).get().onComplete(test.succeeding(options -> test.verify(() -> {
      assertThat(options.getPassword()).isEqualTo("inline");
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("an empty or vanished file fails that connection naming the key and the path, never a content")
  void emptyOrMissingFile(VertxTestContext test) throws Exception {
    Path file = Files.writeString(directory.resolve("db-password"), "\n");
    DatabaseSettings settings = settings("", file);
    Supplier<Future<SqlConnectOptions>> connections = PgPools.eachConnection(vertx, settings);

    assertThatThrownBy(() -> PgPassword.read(settings)).isInstanceOf(IOException.class)
        .hasMessage("database.password_file " + file + " is empty");
    connections.get()
        .transform(empty -> {
          test.verify(() -> assertThat(empty.cause()).hasMessage("database.password_file " + file + " is empty"));
          return vertx.fileSystem().delete(file.toString());
        })
        .compose(deleted -> {
          test.verify(() -> assertThatThrownBy(() -> PgPassword.read(settings))
              .hasMessage("database.password_file " + file + " could not be read (NoSuchFileException)"));
          return connections.get();
        })
        .onComplete(test.failing(vanished -> test.verify(() -> {
          assertThat(vanished).hasMessage("database.password_file " + file + " could not be read (NoSuchFileException)");
          test.completeNow();
        })));
  }
}
