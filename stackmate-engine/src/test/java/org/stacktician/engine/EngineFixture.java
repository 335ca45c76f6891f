package org.stacktician.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.stacktician.engine.execution.EngineOptions;
import org.stacktician.engine.provider.ResourceProvider;
import org.stacktician.engine.provider.registry.ProviderRegistry;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.state.EngineDatabase;

/** Starts real engines (H2 file, db-scheduler) on a directory with the {@link TestCloud} provider. */
public final class EngineFixture {
  private EngineFixture() {}

  public static EngineOptions fastOptions() {
    return EngineOptions.defaults().withPollingInterval(Duration.ofMillis(50)).withSchedulerThreads(4)
        .withHeartbeat(Duration.ofMillis(500), 4).withDeleteRetryWindow(Duration.ofMillis(200));
  }

  public static StackEngine start(Path dir, TestCloud cloud) {
    return start(dir, cloud, fastOptions());
  }

  public static StackEngine start(Path dir, ResourceProvider cloud, EngineOptions options) {
    StackEngine engine = StackEngine.builder()
        .database(EngineDatabase.h2File(dir))
        .registry((base, own) -> {
          ProviderRegistry.Builder b = ProviderRegistry.builder(base).provider(cloud);
          own.forEach(b::provider);
          return b.build();
        })
        .options(options)
        .build();
    engine.start();
    return engine;
  }

  public static StackRecord createAndWait(StackEngine engine, String name, String template) throws Exception {
    return createAndWait(engine, CreateStackRequest.of(name, template, Map.of()));
  }

  public static StackRecord createAndWait(StackEngine engine, CreateStackRequest request) throws Exception {
    StackRecord s = engine.createStack(request);
    return await(engine, s.stackId());
  }

  public static StackRecord deleteAndWait(StackEngine engine, String name) throws Exception {
    StackRecord s = engine.deleteStack(name);
    return await(engine, s.stackId());
  }

  public static StackRecord await(StackEngine engine, String stackId) throws InterruptedException, TimeoutException {
    return engine.awaitSettled(stackId, Duration.ofSeconds(30));
  }
}
