package org.stacktician.engine.cloudstack;

import java.util.Locale;
import org.stacktician.cloudstack.client.AsyncJobFailedException;
import org.stacktician.cloudstack.client.CloudStackApiException;
import org.stacktician.cloudstack.client.CloudStackException;
import org.stacktician.cloudstack.client.CloudStackOutcomeUnknownException;
import org.stacktician.cloudstack.client.CloudStackTransportException;
import org.stacktician.engine.provider.ErrorCode;
import org.stacktician.engine.provider.ProgressEvent;

/** Turns CloudStack failures into handler failures with the cloud's code and text. */
public final class CloudStackErrors {
  private CloudStackErrors() {}

  /** The handler error code for a CloudStack error code (CLOUDSTACK-API.md §6). */
  public static ErrorCode codeOf(int cloudStackErrorCode, String errorText) {
    if (isNotFound(errorText)) {
      return ErrorCode.NOT_FOUND;
    }
    return switch (cloudStackErrorCode) {
      case 401, 411, 531 -> ErrorCode.ACCESS_DENIED;
      case 430, 431, 432, 405 -> ErrorCode.INVALID_REQUEST;
      case 429, 532, 533, 535 -> ErrorCode.SERVICE_LIMIT_EXCEEDED;
      case 536, 537 -> ErrorCode.RESOURCE_CONFLICT;
      case 534 -> ErrorCode.SERVICE_INTERNAL_ERROR;
      default -> ErrorCode.SERVICE_INTERNAL_ERROR;
    };
  }

  /**
   * True for CloudStack's ways of saying an object does not exist ("Unable to find ...", "...
   * does not exist", "Invalid parameter id value=... due to incorrect long value format, or
   * entity does not exist ...").
   */
  public static boolean isNotFound(String errorText) {
    if (errorText == null) {
      return false;
    }
    String t = errorText.toLowerCase(Locale.ROOT);
    return t.contains("unable to find") || t.contains("does not exist") || t.contains("not found")
        || t.contains("entity does not exist") || t.contains("doesn't exist") || t.contains("no such");
  }

  /** A failure event for an exception the client threw while running {@code what} for a resource. */
  public static ProgressEvent.Failed failed(String logicalId, String what, CloudStackException e) {
    return switch (e) {
      case CloudStackApiException api -> ProgressEvent.failed(codeOf(api.errorCode(), api.errorText()),
          logicalId + ": " + what + " failed: " + api.errorText() + " (CloudStack error " + api.errorCode()
              + (api.csErrorCode() > 0 ? "/" + api.csErrorCode() : "") + ")");
      case AsyncJobFailedException job -> ProgressEvent.failed(codeOf(job.errorCode(), job.errorText()),
          logicalId + ": " + what + " failed: " + job.errorText() + " (CloudStack error " + job.errorCode() + ")");
      case CloudStackTransportException t -> ProgressEvent.failed(ErrorCode.NETWORK_FAILURE,
          logicalId + ": " + what + " could not reach CloudStack: " + t.getMessage());
      case CloudStackOutcomeUnknownException u -> ProgressEvent.failed(ErrorCode.NETWORK_FAILURE,
          logicalId + ": " + what + " was sent but CloudStack did not answer; the resource may exist"
              + " and will be looked up by its tags before any retry: " + u.getMessage());
      default -> ProgressEvent.failed(ErrorCode.GENERAL_SERVICE_EXCEPTION,
          logicalId + ": " + what + " failed: " + e.getMessage());
    };
  }

  /** A failure event for a failed async job. */
  public static ProgressEvent.Failed jobFailed(String logicalId, String what, int errorCode, String errorText) {
    return ProgressEvent.failed(codeOf(errorCode, errorText),
        logicalId + ": " + what + " failed: " + errorText + " (CloudStack error " + errorCode + ")");
  }
}
