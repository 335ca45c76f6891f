package org.stacktician.cloudstack.client;

import com.fasterxml.jackson.databind.JsonNode;

/** One observation of an async job ({@code queryAsyncJobResult}: jobstatus 0, 1, 2). */
public sealed interface AsyncJobStatus {

  String jobId();

  /** Still running ({@code jobstatus} 0). */
  record Pending(String jobId, int progressPercent) implements AsyncJobStatus {
  }

  /** Finished ({@code jobstatus} 1); {@code result} is the {@code jobresult}, e.g. {@code {"virtualmachine":{...}}}. */
  record Succeeded(String jobId, JsonNode result) implements AsyncJobStatus {
  }

  /** Failed ({@code jobstatus} 2, or 3 = cancelled) with the job's error code and text. */
  record Failed(String jobId, int errorCode, String errorText) implements AsyncJobStatus {
  }
}
