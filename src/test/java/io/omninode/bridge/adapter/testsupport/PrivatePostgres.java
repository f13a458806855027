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
 * A PostgreSQL cluster of our own: a data directory, a port of our choosing, any server settings
 * ({@code ssl=on}, ...); superuser {@code postgres}, trust authentication, TCP on 127.0.0.1 only. Runs
 * PostgreSQL 14.22 from zonky's binaries. initdb and postgres refuse to run as root, so a JVM running as root
 * runs them as {@code nobody}. Never skipped: if the cluster cannot start, the exception says why (with the
 * server's log).
 */
public final class PrivatePostgres implements AutoCloseable {

  static final boolean ROOT = "root".equals(System.getProperty("user.name"));
  private static final String SERVER_USER = "nobody";
  private static final String SERVER_GROUP = "nogroup";
  private static final List<String> AS_SERVER_USER = List.of(
      "setpriv", "--reuid=" + SERVER_USER, "--regid=" + SERVER_GROUP, "--clear-groups");
  /** Rewritten at every start, so that a kept cluster can move to another port. */
  private static final String SETTINGS_FILE = "private-postgres.conf";

  private final int port;
  private final Path directory;
  private final Path data;
  private final Path log;
  private final boolean temporary;
  private final Thread closeAtExit = new Thread(this::close, "private-postgres-close");
  private boolean running;

  private PrivatePostgres(int port, Path directory, boolean temporary) {
    this.port = port;
    this.directory = directory;
    this.data = directory.resolve("data");
    this.log = directory.resolve("server.log");
    this.temporary = temporary;
  }

  /**
   * A new cluster (initdb) in a directory of its own under {@code <local>/postgres/clusters/}, that will listen
   * on {@code port} once started; {@link #close()} stops and deletes it, and so does the JVM's exit.
   */
  public static PrivatePostgres create(int port) throws IOException, InterruptedException {
    PrivatePostgres postgres = new PrivatePostgres(port, ClusterDirectories.create(port), true);
    try {
      postgres.initdb();
      return postgres;
    } catch (IOException | RuntimeException e) {
      postgres.close();
      throw e;
    }
  }

  /**
   * The cluster kept in {@code directory} ({@code data/}, made by initdb the first time, and {@code server.log}),
   * left running when the JVM exits: {@code scripts/run-local.sh}'s, which stops it with a signal.
   */
  public static PrivatePostgres kept(Path directory, int port) throws IOException, InterruptedException {
    PrivatePostgres postgres = new PrivatePostgres(port, directory, false);
    if (!Files.exists(postgres.data.resolve("PG_VERSION"))) {
      PostgresBinaries.deleteTree(postgres.data); // what an initdb killed midway left
      postgres.initdb();
    }
    return postgres;
  }

  private void initdb() throws IOException, InterruptedException {
    Files.createDirectories(directory); // with the usual modes: the server user must pass through
    Files.createDirectory(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    giveToServerUser(data);
    run(PostgresBinaries.bin("initdb").toString(), "-A", "trust", "-U", "postgres", "-E", "UTF-8", "--no-sync",
        "-D", data.toString());
    Files.writeString(data.resolve("postgresql.conf"), "\ninclude '" + SETTINGS_FILE + "'\n", StandardOpenOption.APPEND);
  }

  public Path dataDirectory() {
    return data;
  }

  /** Writes a file only the server may read (0600, its owner), as PostgreSQL insists for a private key. */
  public Path serverFile(String name, String content) throws IOException {
    Path file = directory.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    giveToServerUser(file);
    return file;
  }

  /**
   * Starts the server with {@code settings} on top of the port and address; no Unix socket, whose path could
   * exceed the 107 bytes the kernel allows when the project lies deep.
   */
  public PrivatePostgres start(Map<String, String> settings) throws IOException, InterruptedException {
    Map<String, String> all = new LinkedHashMap<>(Map.of(
        "port", String.valueOf(port), "listen_addresses", "127.0.0.1", "unix_socket_directories", ""));
    all.putAll(settings);
    StringBuilder conf = new StringBuilder("# written by PrivatePostgres at every start\n");
    all.forEach((key, value) -> conf.append(key).append(" = '").append(value.replace("'", "''")).append("'\n"));
    Files.writeString(data.resolve(SETTINGS_FILE), conf);
    if (!Files.exists(log)) {
      Files.createFile(log);
      giveToServerUser(log);
    }
    try {
      run(PostgresBinaries.bin("pg_ctl").toString(), "-w", "-t", "60", "-D", data.toString(), "-l", log.toString(), "start");
    } catch (IllegalStateException e) {
      throw new IllegalStateException(e.getMessage() + "\nserver log (" + log + "):\n" + Files.readString(log), e);
    }
    running = true;
    if (temporary) {
      Runtime.getRuntime().addShutdownHook(closeAtExit);
    }
    return this;
  }

  public PgTarget target() {
    return new PgTarget("127.0.0.1", port, "postgres", "");
  }

  /** Stops the server; a temporary cluster is deleted too. */
  @Override
  public synchronized void close() {
    if (running && temporary && Thread.currentThread() != closeAtExit) {
      Runtime.getRuntime().removeShutdownHook(closeAtExit);
    }
    stop();
    if (temporary) {
      ClusterDirectories.delete(directory);
    }
  }

  private void stop() {
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

  private static void giveToServerUser(Path path) throws IOException {
    if (!ROOT) {
      return;
    }
    UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    view.setOwner(users.lookupPrincipalByName(SERVER_USER));
    view.setGroup(users.lookupPrincipalByGroupName(SERVER_GROUP));
  }
}
