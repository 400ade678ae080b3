package io.interestfl.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Secrets on disk (keys, tokens): written whole, readable by the owner only, in place atomically. */
public final class OwnerOnlyFile {
  private OwnerOnlyFile() {}

  /**
   * Writes {@code content} to {@code file} (mode rw------- where the file system has POSIX permissions) through a
   * temporary file moved into place atomically; with {@code replace} false an existing file is an error.
   */
  public static void write(Path file, String content, boolean replace) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = parent.resolve(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp);
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system: the operator protects the directory
    }
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    if (replace) {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } else {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }
  }
}
