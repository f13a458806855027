package io.omninode.bridge.adapter;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ProgramArgumentsTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("an option's value is found under any of its names, in any case, separate or after '='")
  void valueIsFoundAsTheLauncherAcceptsIt() {
    assertThat(new ProgramArguments(new String[] {"-conf", "a.json", "-cluster"}).value(ProgramArguments.CONF))
        .contains("a.json");
    assertThat(new ProgramArguments(new String[] {"--CONF=b.json"}).value(ProgramArguments.CONF)).contains("b.json");
    assertThat(new ProgramArguments(new String[] {"-cluster", "-options", "o.json"}).value(ProgramArguments.CONF))
        .isEmpty();
  }

  @Test
  @DisplayName("an unreadable file is named with the reason")
  void unreadableFileIsNamedWithTheReason() throws Exception {
    Path notJson = Files.writeString(dir.resolve("config.json"), "http: 8080");

    assertThat(ProgramArguments.unreadable("-conf", dir.resolve("missing.json").toString()))
        .isEqualTo("the -conf file " + dir.resolve("missing.json") + " could not be read: no such file");
    assertThat(ProgramArguments.unreadable("-conf", dir.toString())).endsWith("could not be read: it is a directory");
    assertThat(ProgramArguments.unreadable("-conf", notJson.toString()))
        .endsWith("could not be read: it does not hold a JSON object");
  }

  @Test
  @DisplayName("an inline JSON value that does not parse is not repeated: it may hold a password")
  void inlineValueIsNotRepeated() {
    assertThat(ProgramArguments.unreadable("-conf", "{\"database\": {\"password\": \"s3cret\""))
        .isEqualTo("the -conf value is not a valid JSON object");
  }

  @Test
  @DisplayName("-cluster is told from the options that merely begin with it")
  void clusterFlag() {
    assertThat(new ProgramArguments(new String[] {"-conf", "c.json", "-cluster"}).clustered()).isTrue();
    assertThat(new ProgramArguments(new String[] {"-conf", "c.json", "-cluster-host", "h"}).clustered()).isFalse();
  }
}
