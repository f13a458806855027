package io.omninode.bridge.adapter.testsupport;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("A private cluster that a dead JVM left running is stopped and deleted when the next one is made")
class ClusterDirectoriesIT {

  @Test
  @DisplayName("a server in a clusters directory whose lock nobody holds is stopped, and its directory deleted")
  void abandonedClusterIsStoppedAndDeleted() throws Exception {
    Path abandoned = Files.createDirectories(ClusterDirectories.PARENT.resolve("cluster-abandoned-" + UUID.randomUUID()));
    Files.createFile(ClusterDirectories.lockOf(abandoned));
    // what a JVM killed with SIGKILL leaves: a running server, and a lock file no process holds
    PrivatePostgres.kept(abandoned, Ports.free()).start(Map.of());
    ProcessHandle server = ProcessHandle.of(Long.parseLong(
        Files.readAllLines(abandoned.resolve("data").resolve("postmaster.pid")).get(0).trim())).orElseThrow();
    try (PrivatePostgres next = PrivatePostgres.create(Ports.free())) {
      assertThat(server.isAlive()).as("the abandoned server (pid %d)", server.pid()).isFalse();
      assertThat(abandoned).doesNotExist();
      assertThat(ClusterDirectories.lockOf(abandoned)).doesNotExist();
      assertThat(next.dataDirectory()).startsWith(ClusterDirectories.PARENT).exists();
    } finally {
      server.destroy();
    }
  }
}
