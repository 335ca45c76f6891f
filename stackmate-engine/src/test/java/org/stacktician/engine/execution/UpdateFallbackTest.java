package org.stacktician.engine.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.engine.EngineFixture;
import org.stacktician.engine.StackEngine;
import org.stacktician.engine.TestCloud;
import org.stacktician.engine.change.UpdateRequest;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;

/**
 * A handler that declares a property updatable in place but answers the update NOT_UPDATABLE (it has no update of
 * its own): the engine replaces the resource instead, and the update completes with nothing left behind.
 */
class UpdateFallbackTest {
  @TempDir Path dir;

  @Test
  void aResourceItsHandlerCannotUpdateIsReplacedInstead() throws Exception {
    TestCloud cloud = new TestCloud();
    try (StackEngine engine = EngineFixture.start(dir, cloud)) {
      String template = """
          {"Resources": {"A": {"Type": "Test::Thing", "Properties": {"Label": "one"}},
                         "B": {"Type": "Test::Thing", "Properties": {"After": {"Ref": "A"}}}}}
          """;
      StackRecord created = EngineFixture.createAndWait(engine, "fallback", template);
      assertThat(created.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
      String oldA = engine.resources(created.stackId()).getFirst().physicalId();

      StackRecord updating = engine.updateStack("fallback", new UpdateRequest(template.replace("one", "two"), Map.of()));
      StackRecord done = engine.awaitSettled(updating.stackId(), Duration.ofSeconds(30));

      assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.UPDATE_COMPLETE);
      String newA = engine.resources(done.stackId()).getFirst().physicalId();
      assertThat(newA).isNotEqualTo(oldA);
      assertThat(cloud.inventory()).containsKey(newA).doesNotContainKey(oldA).hasSize(2);
      assertThat(engine.resources(done.stackId())).filteredOn(r -> r.logicalId().equals("B")).singleElement()
          .satisfies(b -> assertThat(b.properties().get("After").asText()).as("re-pointed").isEqualTo(newA));
    }
  }
}
