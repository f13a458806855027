package io.omninode.bridge.adapter.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A cluster CA and member certificates made by {@code scripts/make-cluster-certs.sh}, the way the README
 * tells operators to make them, so that the tests that use them prove the script too. Needs openssl: a
 * machine without it fails these tests rather than skipping them.
 */
public final class ClusterCerts {

  public static final Path SCRIPT = Path.of("scripts", "make-cluster-certs.sh");

  private final Path dir;

  private ClusterCerts(Path dir) {
    this.dir = dir;
  }

  /** A new CA in {@code dir} (which must not hold one yet) and a certificate for each member name. */
  public static ClusterCerts make(Path dir, String... members) throws IOException, InterruptedException {
    if (Files.exists(dir.resolve("ca.pem"))) {
      throw new IllegalStateException(dir + " already holds a CA");
    }
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString(), "-d", dir.toString()));
    command.addAll(List.of(members));
    Process script = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!script.waitFor(60, TimeUnit.SECONDS) || script.exitValue() != 0) {
      throw new IllegalStateException(SCRIPT + " failed (it needs openssl): " + output);
    }
    return new ClusterCerts(dir);
  }

  public Path ca() {
    return dir.resolve("ca.pem");
  }

  /** {@code member}'s files, trusting this CA. */
  public MemberFiles member(String member) {
    Path cert = dir.resolve(member + ".pem");
    if (!Files.isReadable(cert)) {
      throw new IllegalArgumentException("no certificate for " + member + " in " + dir);
    }
    return new MemberFiles(cert, dir.resolve(member + ".key"), ca());
  }
}
