package org.stacktician.server.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stacktician.engine.state.StateStoreException;

/** The server's data directory: made owner-only (0700), since it holds the key file and the database. */
final class DataDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

  private DataDirectory() {}

  static void prepare(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        try {
          Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException e) {
          Files.createDirectories(dir);
        }
      }
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
      if (!perms.equals(OWNER_ONLY)) {
        Files.setPosixFilePermissions(dir, OWNER_ONLY);
        LOG.info("Made the data directory {} owner-only (it was {})", dir, PosixFilePermissions.toString(perms));
      }
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: its ACLs apply
    } catch (IOException e) {
      throw new StateStoreException("cannot prepare the data directory " + dir + ": " + e.getMessage(), e);
    }
  }
}
