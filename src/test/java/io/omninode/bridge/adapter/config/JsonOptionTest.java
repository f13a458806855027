package io.omninode.bridge.adapter.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("A JSON option, given as a file or inline, as the launcher takes -conf")
class JsonOptionTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("a file is read, and a value that starts with '{' is the JSON itself")
  void fileOrInline() throws Exception {
    Path file = Files.writeString(dir.resolve("config.json"), "{\"http\": {\"port\": 8081}}");

    assertThat(JsonOption.read("-conf", file.toString())).isEqualTo(new JsonObject().put("http", new JsonObject().put("port", 8081)));
    assertThat(JsonOption.read("-conf", "{\"kafka\": {}}")).isEqualTo(new JsonObject().put("kafka", new JsonObject()));
  }

  @Test
  @DisplayName("a value that cannot be read is refused with the reason")
  void unreadableValueIsRefusedWithTheReason() {
    String missing = dir.resolve("missing.json").toString();

    assertThatThrownBy(() -> JsonOption.read("-conf", missing)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the -conf file " + missing + " could not be read: no such file");
  }

  @Test
  @DisplayName("an unreadable file is named with the reason")
  void unreadableFileIsNamedWithTheReason() throws Exception {
    Path notJson = Files.writeString(dir.resolve("config.json"), "http: 8080");

    assertThat(JsonOption.unreadable("-conf", dir.resolve("missing.json").toString()))
        .isEqualTo("the -conf file " + dir.resolve("missing.json") + " could not be read: no such file");
    assertThat(JsonOption.unreadable("-conf", dir.toString())).endsWith("could not be read: it is a directory");
    assertThat(JsonOption.unreadable("-conf", notJson.toString()))
        .endsWith("could not be read: it does not hold a JSON object");
  }

  @Test
  @DisplayName("an inline JSON value that does not parse is not repeated: it may hold a password")
  void inlineValueIsNotRepeated() {
    assertThat(JsonOption.unreadable("-conf", "{\"database\": {\"password\": \"s3cret\""))
        .isEqualTo("the -conf value is not a valid JSON object");
    assertThatThrownBy(() -> JsonOption.read("-conf", "{\"database\": {\"password\": \"s3cret\""))
        .hasMessageNotContaining("s3cret");
  }
}
