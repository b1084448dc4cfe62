package io.sextant.api.config;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL 17 binaries (initdb, pg_ctl, postgres and their libraries) unpacked from the io.zonky archive on the
 * class path into a directory only this OS user can write: {@code <base>/PG-<sha256 of the archive>}, base mode 0700.
 * (The library's own default, a shared {@code /tmp/embedded-pg}, lets another local account plant binaries that the
 * server would then run.) Unpacked once per archive and base directory, under a file lock, into a temporary
 * directory that is renamed into place when complete, so concurrent JVMs and interrupted unpacks are safe.
 */
final class PostgresBinaries {
  private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");

  private PostgresBinaries() {}

  /** The unpacked installation (with {@code bin/}, {@code lib/}, {@code share/}) under {@code base}. */
  static Path unpacked(Path base) throws IOException {
    byte[] archive;
    try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", architecture())) {
      if (in == null) {
        throw new IllegalStateException("no embedded PostgreSQL binaries for Linux " + architecture());
      }
      archive = in.readAllBytes();
    }
    String digest;
    try {
      digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive)).substring(0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    privateDirectory(base);
    Path target = base.resolve("PG-" + digest);
    if (Files.exists(target.resolve(".complete"))) {
      return target;
    }
    try (FileChannel lock = FileChannel.open(base.resolve(".lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE); var held = lock.lock()) {
      if (Files.exists(target.resolve(".complete"))) {
        return target;
      }
      Path tmp = base.resolve("unpacking-" + UUID.randomUUID());
      Files.createDirectory(tmp);
      extract(archive, tmp);
      Files.createFile(tmp.resolve(".complete"));
      if (Files.exists(target)) { // an earlier unpack that did not complete
        deleteTree(target);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }
    return target;
  }

  /** Creates {@code dir} (mode 0700) or checks that an existing one is not writable by other users. */
  static void privateDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir.getParent());
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // created meanwhile by another JVM: checked below
      }
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
    String owner = Files.getOwner(dir).getName();
    if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)
        || !owner.equals(System.getProperty("user.name"))) {
      throw new IllegalStateException(dir + " (owner " + owner + ", " + PosixFilePermissions.toString(perms)
          + ") must belong to " + System.getProperty("user.name") + " and be writable by nobody else: the "
          + "embedded PostgreSQL runs the binaries kept there (or set sextant.embedded-db.binaries-dir)");
    }
  }

  private static String architecture() {
    String arch = System.getProperty("os.arch");
    return "amd64".equals(arch) ? "x86_64" : arch;
  }

  private static void extract(byte[] archive, Path into) throws IOException {
    Path root = into.toAbsolutePath().normalize();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        Path p = root.resolve(e.getName()).normalize();
        if (!p.startsWith(root)) {
          throw new IOException("archive entry outside its directory: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(p);
        } else if (e.isSymbolicLink()) {
          Files.createDirectories(p.getParent());
          Files.createSymbolicLink(p, Path.of(e.getLinkName()));
        } else if (e.isLink()) {
          Files.createDirectories(p.getParent());
          Files.copy(root.resolve(e.getLinkName()).normalize(), p);
        } else if (e.isFile()) {
          Files.createDirectories(p.getParent());
          Files.copy(tar, p);
          // the archive's mode without group/other write (bin/ is executable)
          int mode = e.getMode() & 0755;
          if (e.getName().startsWith("bin/") || e.getName().startsWith("./bin/")) {
            mode |= 0700;
          }
          Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(rwx(mode)));
        }
      }
    }
  }

  private static String rwx(int mode) {
    StringBuilder b = new StringBuilder();
    for (int shift = 6; shift >= 0; shift -= 3) {
      int m = mode >> shift;
      b.append((m & 4) != 0 ? 'r' : '-').append((m & 2) != 0 ? 'w' : '-').append((m & 1) != 0 ? 'x' : '-');
    }
    return b.toString();
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
