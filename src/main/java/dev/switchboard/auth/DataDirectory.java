package dev.switchboard.auth;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/** The data directory and the owner-only files in it (users, the generated JWT secret). */
final class DataDirectory {
  private DataDirectory() {}

  static void create(Path dir) throws IOException {
    if (Files.isDirectory(dir)) return;
    Files.createDirectories(dir, ownerOnly(true));
  }

  /** An empty 0600 file next to {@code name}, to be written and renamed over it. */
  static Path createPrivateTempFile(Path dir, String name) throws IOException {
    return Files.createTempFile(dir, "." + name + ".", ".tmp", ownerOnly(false));
  }

  private static FileAttribute<?>[] ownerOnly(boolean directory) {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) return new FileAttribute<?>[0];
    return new FileAttribute<?>[] {
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(directory ? "rwx------" : "rw-------"))};
  }
}
