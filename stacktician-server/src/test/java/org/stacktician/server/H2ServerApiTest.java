package org.stacktician.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.stacktician.engine.state.EngineDatabase;
import org.stacktician.server.config.ServerConfig;

/** The REST API on the embedded H2 file database in a data directory. */
class H2ServerApiTest extends ServerApiContract {
  @Override
  ServerConfig config(Path dataDir) {
    return new ServerConfig(dataDir.resolve("data"), "127.0.0.1", 0, null, null, null, null, null, true);
  }

  @Override
  void checkStorage(List<String> secrets, String marker) {
    Path dir = dataDir.resolve("data");
    server.close();
    server = null;
    try {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString())
              .isEqualTo("rw-------");
        }
      }
      // ISO-8859-1 keeps every byte as one char, so ASCII text is found where it is stored.
      String raw = new String(Files.readAllBytes(dir.resolve(EngineDatabase.H2_FILE_NAME + ".mv.db")),
          StandardCharsets.ISO_8859_1);
      assertThat(raw).as("the raw file holds plain text where it is not sealed").contains(marker);
      for (String secret : secrets) {
        assertThat(raw).as("a secret in the raw H2 file").doesNotContain(secret);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
