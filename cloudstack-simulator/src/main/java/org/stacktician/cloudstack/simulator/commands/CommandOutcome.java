package org.stacktician.cloudstack.simulator.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.stacktician.cloudstack.simulator.jobs.JobWork;

/** What a handler answers: a synchronous body, or an async job to queue. */
public sealed interface CommandOutcome {
  /** The inner object of the command's response envelope. */
  record Sync(ObjectNode body) implements CommandOutcome {}

  /**
   * An async job. {@code resourceId} is returned beside {@code jobid} at once (async creates);
   * {@code instanceType}/{@code instanceId} fill the job's {@code jobinstancetype}/{@code jobinstanceid}.
   */
  record Async(String resourceId, String instanceType, String instanceId, JobWork work) implements CommandOutcome {}
}
