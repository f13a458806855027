package io.omninode.bridge.adapter.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL cluster of the test's own: a fresh data directory, a port of its choosing, any server settings
 * ({@code ssl=on}, ...); superuser {@code postgres}, trust authentication. Runs PostgreSQL 14.22 from zonky's
 * binaries. initdb and postgres refuse to run as root, so a JVM running as root runs them as {@code nobody}.
 * Never skipped: if the cluster cannot start, the exception says why (with the server's log).
 */
public final class PrivatePostgres implements AutoCloseable {

  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
  private static final String SERVER_USER = "nobody";
  private static final String SERVER_GROUP = "nogroup";
  private static final List<String> AS_SERVER_USER = List.of(
      "setpriv", "--reuid=" + SERVER_USER, "--regid=" + SERVER_GROUP, "--clear-groups");

  private final int port;
  private final Path directory;
  private final Path data;
  private final Thread stopAtExit = new Thread(this::stop, "private-postgres-stop");
  private boolean running;

  private PrivatePostgres(int port, Path directory) {
    this.port = port;
    this.directory = directory;
    this.data = directory.resolve("data");
  }

  /** A new cluster (initdb) that will listen on {@code port} of 127.0.0.1 once started. */
  public static PrivatePostgres create(int port) throws IOException, InterruptedException {
    PrivatePostgres postgres = new PrivatePostgres(port, Files.createTempDirectory("private-postgres-" + port + "-"));
    try {
      postgres.giveToServerUser(postgres.directory);
      postgres.run(PostgresBinaries.bin("initdb").toString(), "-A", "trust", "-U", "postgres", "-E", "UTF-8",
          "--no-sync", "-D", postgres.data.toString());
      return postgres;
    } catch (IOException | RuntimeException e) {
      postgres.close();
      throw e;
    }
  }

  /** Writes a file only the server may read (0600, its owner), as PostgreSQL insists for a private key. */
  public Path serverFile(String name, String content) throws IOException {
    Path file = directory.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    giveToServerUser(file);
    return file;
  }

  /** Starts the server with {@code settings} on top of the port, address and socket directory. */
  public PrivatePostgres start(Map<String, String> settings) throws IOException, InterruptedException {
    Map<String, String> all = new LinkedHashMap<>(Map.of(
        "port", String.valueOf(port), "listen_addresses", "127.0.0.1", "unix_socket_directories", data.toString()));
    all.putAll(settings);
    StringBuilder conf = new StringBuilder("\n# PrivatePostgres\n");
    all.forEach((key, value) -> conf.append(key).append(" = '").append(value.replace("'", "''")).append("'\n"));
    Files.writeString(data.resolve("postgresql.conf"), conf, StandardOpenOption.APPEND);
    Path log = directory.resolve("server.log");
    try {
      run(PostgresBinaries.bin("pg_ctl").toString(), "-w", "-t", "60", "-D", data.toString(), "-l", log.toString(), "start");
    } catch (IllegalStateException e) {
      throw new IllegalStateException(e.getMessage() + "\nserver log:\n" + (Files.exists(log) ? Files.readString(log) : ""), e);
    }
    running = true;
    Runtime.getRuntime().addShutdownHook(stopAtExit);
    return this;
  }

  public PgTarget target() {
    return new PgTarget("127.0.0.1", port, "postgres", "");
  }

  /** Stops the server and deletes the cluster. */
  @Override
  public void close() {
    if (running) {
      Runtime.getRuntime().removeShutdownHook(stopAtExit);
    }
    stop();
    PostgresBinaries.deleteTree(directory);
  }

  private synchronized void stop() {
    if (!running) {
      return;
    }
    try {
      run(PostgresBinaries.bin("pg_ctl").toString(), "-w", "-D", data.toString(), "-m", "fast", "stop");
      running = false;
    } catch (IOException e) {
      throw new IllegalStateException("Could not stop PostgreSQL on port " + port, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run(String... command) throws IOException, InterruptedException {
    List<String> line = new ArrayList<>(ROOT ? AS_SERVER_USER : List.of());
    line.addAll(List.of(command));
    Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", line) + " failed:\n" + output);
    }
  }

  private void giveToServerUser(Path path) throws IOException {
    if (!ROOT) {
      return;
    }
    UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    view.setOwner(users.lookupPrincipalByName(SERVER_USER));
    view.setGroup(users.lookupPrincipalByGroupName(SERVER_GROUP));
  }
}
