package org.stacktician.engine.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.engine.LocalEngine;
import org.stacktician.engine.execution.EngineOptions;

/**
 * The fixture of a test of a whole engine on a real simulator: before each test a simulator and an engine on it with
 * its state in {@link #dir} (with {@link #options()}), both closed after it. A test may stop {@link #local} and start
 * another engine on the same state (a process that stops and the next one); whichever is current is closed.
 */
public abstract class SimulatedEngineTest {
  @TempDir protected Path dir;
  protected SimulatedCloud cloud;
  protected LocalEngine local;

  /** The options of the engine started before each test; the defaults unless a test class says otherwise. */
  protected EngineOptions options() {
    return EngineOptions.defaults();
  }

  @BeforeEach
  final void startSimulatedEngine() {
    cloud = new SimulatedCloud();
    local = cloud.engine(dir, options());
  }

  @AfterEach
  final void stopSimulatedEngine() {
    if (local != null) {
      local.close();
    }
    cloud.close();
  }
}
