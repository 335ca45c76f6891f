package org.stacktician.engine;

/**
 * Counters of one engine since it started, for benchmarks and monitoring.
 *
 * @param steps stack executions run by the scheduler
 * @param handlerCalls calls made to resource handlers
 * @param resourcesCreated resources that reached CREATE_COMPLETE
 * @param resourcesDeleted resources that reached DELETE_COMPLETE
 * @param stacksSettled stack operations that ended (in any final status)
 */
public record EngineStats(long steps, long handlerCalls, long resourcesCreated, long resourcesDeleted,
    long stacksSettled) {}
