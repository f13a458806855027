package io.omninode.bridge.adapter;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  @DisplayName("an option given but not read by the launcher is named, with the file and why")
  void optionTheLauncherCouldNotReadIsNamed() {
    String missing = dir.resolve("missing.json").toString();
    ProgramArguments arguments = new ProgramArguments(new String[] {"-options=" + missing, "-conf", missing});

    assertThat(arguments.unreadable(ProgramArguments.CONF, null))
        .contains("the -conf file " + missing + " could not be read: no such file");
    assertThat(arguments.unreadable(ProgramArguments.OPTIONS, null))
        .contains("the -options file " + missing + " could not be read: no such file");
  }

  @Test
  @DisplayName("an option the launcher read, or one not given at all, is no reason to stop")
  void optionReadOrAbsentIsFine() {
    ProgramArguments arguments = new ProgramArguments(new String[] {"-conf", "c.json"});

    assertThat(arguments.unreadable(ProgramArguments.CONF, new JsonObject())).isEmpty();
    assertThat(arguments.unreadable(ProgramArguments.DEPLOYMENT_OPTIONS, null)).isEmpty();
  }

  @Test
  @DisplayName("-cluster is told from the options that merely begin with it")
  void clusterFlag() {
    assertThat(new ProgramArguments(new String[] {"-conf", "c.json", "-cluster"}).clustered()).isTrue();
    assertThat(new ProgramArguments(new String[] {"-conf", "c.json", "-cluster-host", "h"}).clustered()).isFalse();
  }
}
