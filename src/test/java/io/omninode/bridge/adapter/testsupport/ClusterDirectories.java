package io.omninode.bridge.adapter.testsupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The directories of temporary private clusters, one each under {@code <local>/postgres/clusters/}, each with a
 * lock file ({@code <directory>.lock}) held for as long as the JVM that made it lives. A JVM killed before it
 * could stop its server (SIGKILL, a forked test JVM's timeout) leaves that server running; the next JVM that
 * makes a cluster finds the lock free, stops the server and deletes the directory. Locks are taken under one
 * guard file, so that two JVMs never judge each other's cluster half made.
 */
final class ClusterDirectories {

  private static final Logger log = LoggerFactory.getLogger(ClusterDirectories.class);
  static final Path PARENT = PostgresBinaries.serverReachable(
      PostgresBinaries.LOCAL.resolve("postgres").resolve("clusters"), "bridge-db-adapter-postgres-clusters");
  private static final Map<Path, FileChannel> HELD = new HashMap<>();

  private ClusterDirectories() {
  }

  /** A new, empty directory that every user can pass through, locked until {@link #delete(Path)}. */
  static synchronized Path create(int port) throws IOException {
    Files.createDirectories(PARENT);
    try (FileChannel guard = open(PARENT.resolve(".guard")); FileLock ignored = guard.lock()) {
      stopAbandoned();
      Path directory = Files.createTempDirectory(PARENT, "cluster-" + port + "-");
      Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
      FileChannel lock = open(lockOf(directory));
      lock.lock();
      HELD.put(directory, lock);
      return directory;
    }
  }

  /** Deletes a directory made by {@link #create(int)}, once its server is stopped, and lets its lock go. */
  static synchronized void delete(Path directory) {
    PostgresBinaries.deleteTree(directory);
    FileChannel lock = HELD.remove(directory);
    try {
      if (lock != null) {
        Files.deleteIfExists(lockOf(directory));
        lock.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void stopAbandoned() throws IOException {
    List<Path> locks;
    try (Stream<Path> entries = Files.list(PARENT)) {
      locks = entries.filter(path -> path.getFileName().toString().endsWith(".lock")).toList();
    }
    for (Path lockFile : locks) {
      Path directory = lockFile.resolveSibling(lockFile.getFileName().toString().replaceFirst("\\.lock$", ""));
      if (HELD.containsKey(directory)) {
        continue;
      }
      try (FileChannel channel = open(lockFile); FileLock free = channel.tryLock()) {
        if (free != null) {
          stopServer(directory.resolve("data"));
          PostgresBinaries.deleteTree(directory);
          Files.delete(lockFile);
        }
      }
    }
  }

  /** SIGINT is PostgreSQL's fast shutdown: it does not wait for the sessions of processes the dead JVM started. */
  private static void stopServer(Path data) throws IOException {
    Path pidFile = data.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    Optional<ProcessHandle> server = ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim()))
        .filter(process -> process.info().command().orElse("").endsWith("/postgres"));
    if (server.isEmpty()) {
      return;
    }
    log.info("Stopping PostgreSQL (pid {}) left running in {} by a JVM that died", server.get().pid(), data);
    try {
      new ProcessBuilder("kill", "-INT", String.valueOf(server.get().pid())).inheritIO().start().waitFor();
      server.get().onExit().get(30, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      server.get().destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Path lockOf(Path directory) {
    return directory.resolveSibling(directory.getFileName() + ".lock");
  }

  private static FileChannel open(Path file) throws IOException {
    return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
  }
}
