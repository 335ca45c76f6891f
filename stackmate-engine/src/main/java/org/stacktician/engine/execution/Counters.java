package org.stacktician.engine.execution;

import java.util.concurrent.atomic.LongAdder;
import org.stacktician.engine.EngineStats;

/** The engine's running counters. */
public final class Counters {
  final LongAdder steps = new LongAdder();
  final LongAdder handlerCalls = new LongAdder();
  final LongAdder resourcesCreated = new LongAdder();
  final LongAdder resourcesDeleted = new LongAdder();
  final LongAdder stacksSettled = new LongAdder();

  public EngineStats snapshot() {
    return new EngineStats(steps.sum(), handlerCalls.sum(), resourcesCreated.sum(), resourcesDeleted.sum(),
        stacksSettled.sum());
  }
}
