package org.stacktician.engine.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.engine.waitcondition.Signal;

/** The state store on a real H2 file: signals, signing key, stored templates survive reopening. */
class JdbiStateStoreTest {
  @TempDir Path dir;

  @Test
  void signalsReplaceByUniqueIdAndSurviveReopening() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    try (EngineDatabase db = EngineDatabase.h2File(dir)) {
      StoreSignalStore signals = new StoreSignalStore(new JdbiStateStore(db));
      signals.record("stack-1", "Handle", new Signal(Signal.Status.SUCCESS, "first", "i-1", "d1", t));
      signals.record("stack-1", "Handle", new Signal(Signal.Status.FAILURE, "again", "i-1", "d2", t.plusSeconds(1)));
      signals.record("stack-1", "Handle", new Signal(Signal.Status.SUCCESS, "", "i-2", "", t.plusSeconds(2)));
      signals.record("stack-1", "Other", new Signal(Signal.Status.SUCCESS, "", "i-3", "", t));
    }
    try (EngineDatabase db = EngineDatabase.h2File(dir)) {
      StoreSignalStore signals = new StoreSignalStore(new JdbiStateStore(db));
      assertThat(signals.signals("stack-1", "Handle")).extracting(s -> s.uniqueId() + ":" + s.status() + ":" + s.data())
          .containsExactlyInAnyOrder("i-1:FAILURE:d2", "i-2:SUCCESS:");
      signals.deleteStack("stack-1");
      assertThat(signals.signals("stack-1", "Other")).isEmpty();
    }
  }

  @Test
  void theSigningKeyIsMadeOnceAndKept() {
    byte[] first;
    try (EngineDatabase db = EngineDatabase.h2File(dir)) {
      first = new JdbiStateStore(db).signingKey();
      assertThat(first).hasSizeGreaterThanOrEqualTo(32);
    }
    try (EngineDatabase db = EngineDatabase.h2File(dir)) {
      assertThat(new JdbiStateStore(db).signingKey()).isEqualTo(first);
    }
  }

  @Test
  void storedTemplatesAreReplacedByName() {
    try (EngineDatabase db = EngineDatabase.h2File(dir)) {
      JdbiStateStore store = new JdbiStateStore(db);
      store.storeTemplate("base", "{}");
      store.storeTemplate("base", "{\"Resources\":{}}");
      assertThat(store.storedTemplate("base")).contains("{\"Resources\":{}}");
      assertThat(store.storedTemplate("none")).isEmpty();
    }
  }
}
