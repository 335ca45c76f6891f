package org.stacktician.cloudstack.simulator.http;

/**
 * A CloudStack error answer: the HTTP status equals {@code errorCode}, and the body carries
 * {@code errorcode}, {@code cserrorcode} (omitted when 0) and {@code errortext}.
 */
public final class ApiException extends RuntimeException {
  /** CloudStack's code for a bare {@code ServerApiException} (parameter processing errors). */
  public static final int CS_SERVER_API = 9999;

  private final int errorCode;
  private final int csErrorCode;

  public ApiException(int errorCode, int csErrorCode, String errorText) {
    super(errorText, null, false, false);
    this.errorCode = errorCode;
    this.csErrorCode = csErrorCode;
  }

  public int errorCode() {
    return errorCode;
  }

  public int csErrorCode() {
    return csErrorCode;
  }

  public String errorText() {
    return getMessage();
  }

  /** 431 as ParamProcessWorker reports a missing parameter. */
  public static ApiException missingParameter(String command, String parameter) {
    return new ApiException(431, CS_SERVER_API,
        "Unable to execute API command " + command.toLowerCase(java.util.Locale.ROOT)
            + " due to missing parameter " + parameter);
  }

  /** 431 as ParamProcessWorker reports an id that is malformed or names nothing the caller can see. */
  public static ApiException invalidId(String command, String parameter, String value) {
    return new ApiException(431, CS_SERVER_API,
        "Unable to execute API command " + command.toLowerCase(java.util.Locale.ROOT)
            + " due to invalid value. Invalid parameter " + parameter + " value=" + value
            + " due to incorrect long value format, or entity does not exist or due to incorrect"
            + " parameter annotation for the field in api cmd class.");
  }

  /** 431 for a value that does not parse as the parameter's type. */
  public static ApiException malformed(String command, String parameter, String type, String value) {
    return new ApiException(431, CS_SERVER_API,
        "Unable to execute API command " + command.toLowerCase(java.util.Locale.ROOT)
            + " due to invalid value " + value + " for parameter " + parameter + " (expected " + type + ")");
  }

  /** 431 InvalidParameterValueException raised by a service (cserrorcode 4350). */
  public static ApiException invalidParameterValue(String text) {
    return new ApiException(431, 4350, text);
  }

  /** 536 ResourceInUseException (cserrorcode 4375). */
  public static ApiException inUse(String text) {
    return new ApiException(536, 4375, text);
  }

  /** 533 InsufficientCapacityException or one of its subclasses. */
  public static ApiException insufficientCapacity(int csErrorCode, String text) {
    return new ApiException(533, csErrorCode, text);
  }

  /** 530 CloudRuntimeException (cserrorcode 4250). */
  public static ApiException internal(String text) {
    return new ApiException(530, 4250, text);
  }
}
