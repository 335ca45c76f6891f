package org.stacktician.cloudstack.simulator.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.stacktician.cloudstack.simulator.http.ApiException;

/** What an async job does when its latency has passed; runs under the cloud's lock. */
public interface JobWork {
  /** Applies the change and returns the job result, e.g. {@code {"virtualmachine":{...}}}; throws to fail the job. */
  ObjectNode complete();

  /** Undoes what the submit already did (e.g. a placeholder) when the job fails. */
  default void failed(ApiException cause) {}
}
