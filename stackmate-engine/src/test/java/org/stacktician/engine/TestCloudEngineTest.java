package org.stacktician.engine;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of tests that run a real engine ({@link EngineFixture}) on a temporary directory with the
 * {@link TestCloud} provider; a test may replace {@link #engine} (closing the old one), the
 * current one is closed after each test.
 */
public abstract class TestCloudEngineTest {
  @TempDir protected Path dir;
  protected TestCloud cloud;
  protected StackEngine engine;

  @BeforeEach
  void startEngineOnTestCloud() {
    cloud = new TestCloud();
    engine = EngineFixture.start(dir, cloud);
  }

  @AfterEach
  void stopEngine() {
    engine.close();
  }
}
