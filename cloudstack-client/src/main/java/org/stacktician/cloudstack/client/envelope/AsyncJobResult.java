package org.stacktician.cloudstack.client.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import org.stacktician.cloudstack.client.AsyncJobStatus;

/** Reads a {@code queryAsyncJobResult} inner object into an {@link AsyncJobStatus} (jobstatus 0/1/2, §5.5). */
public final class AsyncJobResult {

  /** The error code CloudStack reports for a failed job that carries none (INTERNAL_ERROR). */
  public static final int DEFAULT_FAILURE_CODE = 530;

  private AsyncJobResult() {
  }

  public static AsyncJobStatus read(String jobId, JsonNode inner) {
    String id = inner.path("jobid").asText(jobId);
    int status = ResponseEnvelope.intValue(inner.get("jobstatus"));
    JsonNode result = inner.get("jobresult");
    return switch (status) {
      case 0 -> new AsyncJobStatus.Pending(id, ResponseEnvelope.intValue(inner.get("jobprocstatus")));
      case 1 -> new AsyncJobStatus.Succeeded(id,
          result == null || result.isNull() ? ResponseEnvelope.emptyObject() : result);
      default -> failed(id, status, inner, result);
    };
  }

  private static AsyncJobStatus failed(String id, int status, JsonNode inner, JsonNode result) {
    int code = result == null ? 0 : ResponseEnvelope.intValue(result.get("errorcode"));
    if (code == 0) {
      code = ResponseEnvelope.intValue(inner.get("jobresultcode"));
    }
    if (code == 0) {
      code = DEFAULT_FAILURE_CODE;
    }
    String text = result == null ? "" : result.path("errortext").asText("");
    if (text.isEmpty()) {
      text = status == 3 ? "job was cancelled" : "job failed without an error text";
    }
    return new AsyncJobStatus.Failed(id, code, text);
  }
}
