package org.stacktician.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreKeyTest {
  @TempDir Path dir;

  @Test
  void theKeyFileIsMadeOnceOwnerOnlyAndReadBack() throws Exception {
    Path file = dir.resolve("sub").resolve(StoreKey.FILE_NAME);
    StoreKey made = StoreKey.loadOrCreate(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(Base64.getDecoder().decode(Files.readString(file).strip())).hasSize(32);
    assertThat(StoreKey.loadOrCreate(file)).isEqualTo(made);
    assertThat(StoreKey.load(file)).isEqualTo(made);
    assertThat(made.toString()).isEqualTo("StoreKey[key file " + file + "]");
    try (var files = Files.list(file.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(StoreKey.FILE_NAME);
    }
  }

  @Test
  void processesStartingAtOnceAgreeOnOneKey() throws Exception {
    Path file = dir.resolve(StoreKey.FILE_NAME);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<StoreKey>> keys = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        keys.add(pool.submit((Callable<StoreKey>) () -> StoreKey.loadOrCreate(file)));
      }
      StoreKey first = keys.get(0).get();
      for (Future<StoreKey> k : keys) {
        assertThat(k.get()).isEqualTo(first);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theEnvironmentVariableOverridesAndBadKeysAreExplained() {
    String b64 = Base64.getEncoder().encodeToString(new byte[32]);
    assertThat(StoreKey.fromEnvironment(Map.of(StoreKey.ENV, b64 + "\n"))).get()
        .isEqualTo(StoreKey.of(new byte[32], "x"))
        .extracting(StoreKey::source).isEqualTo("environment variable STACKMATE_STORE_KEY");
    assertThat(StoreKey.fromEnvironment(Map.of())).isEmpty();
    assertThat(StoreKey.fromEnvironment(Map.of(StoreKey.ENV, " "))).isEmpty();
    assertThatThrownBy(() -> StoreKey.fromEnvironment(Map.of(StoreKey.ENV, "not base64!")))
        .hasMessageContaining("environment variable STACKMATE_STORE_KEY is not valid base64");
    assertThatThrownBy(() -> StoreKey.fromBase64(Base64.getEncoder().encodeToString(new byte[16]), "config"))
        .hasMessage("the store key from config has 16 bytes; it must be 32 random bytes, base64-encoded");
    assertThatThrownBy(() -> StoreKey.load(dir.resolve("missing.key")))
        .hasMessageStartingWith("cannot read the store key file " + dir.resolve("missing.key"));
  }
}
