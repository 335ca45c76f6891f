package org.stacktician.server;

import java.util.List;
import org.stacktician.template.TemplateError;

/**
 * A request the server refuses, with the message a person can act on; each kind is one HTTP
 * status in every API. Another user's things are {@link NotFound} (never "forbidden"), so an
 * answer never confirms that they exist.
 */
public abstract sealed class ServerException extends RuntimeException {
  private ServerException(String message) {
    super(message);
  }

  /** The HTTP status of this kind. */
  public abstract int status();

  /** The short code in error bodies (as CloudFormation's error codes are). */
  public abstract String code();

  /** No such thing, or not one of the caller's: 404. */
  public static final class NotFound extends ServerException {
    public NotFound(String message) {
      super(message);
    }

    @Override
    public int status() {
      return 404;
    }

    @Override
    public String code() {
      return "NotFound";
    }
  }

  /**
   * The request clashes with what exists: a name taken ({@value #ALREADY_EXISTS}), or a thing in a
   * state that does not allow it now (e.g. {@value #INVALID_STATE}): 409.
   */
  public static final class Conflict extends ServerException {
    /** The code of a name clash. */
    public static final String ALREADY_EXISTS = "AlreadyExists";
    /** The code of a stack whose state does not allow the operation now. */
    public static final String INVALID_STATE = "InvalidState";
    /** The code of a change set whose execution status does not allow the operation now (CloudFormation's). */
    public static final String INVALID_CHANGE_SET_STATUS = "InvalidChangeSetStatus";

    private final String code;

    /** A name clash. */
    public Conflict(String message) {
      this(ALREADY_EXISTS, message);
    }

    public Conflict(String code, String message) {
      super(message);
      this.code = code;
    }

    @Override
    public int status() {
      return 409;
    }

    @Override
    public String code() {
      return code;
    }
  }

  /** Bad input, with the errors in validate-template's shape (path, line, column, message): 400. */
  public static final class Invalid extends ServerException {
    private final List<TemplateError> errors;

    public Invalid(String message, List<TemplateError> errors) {
      super(message);
      this.errors = List.copyOf(errors);
    }

    /** One error about one field. */
    public static Invalid field(String path, String message) {
      return new Invalid(message, List.of(TemplateError.of(path, message)));
    }

    public List<TemplateError> errors() {
      return errors;
    }

    @Override
    public int status() {
      return 400;
    }

    @Override
    public String code() {
      return "ValidationError";
    }
  }

  /** No valid credentials: 401. */
  public static final class Unauthorized extends ServerException {
    private final String code;

    public Unauthorized(String code, String message) {
      super(message);
      this.code = code;
    }

    @Override
    public int status() {
      return 401;
    }

    @Override
    public String code() {
      return code;
    }
  }

  /** The body is larger than the server takes: 413. */
  public static final class TooLarge extends ServerException {
    public TooLarge(String message) {
      super(message);
    }

    @Override
    public int status() {
      return 413;
    }

    @Override
    public String code() {
      return "RequestTooLarge";
    }
  }

  /** The server cannot answer yet (it is starting): 503. */
  public static final class Unavailable extends ServerException {
    public Unavailable(String message) {
      super(message);
    }

    @Override
    public int status() {
      return 503;
    }

    @Override
    public String code() {
      return "ServiceUnavailable";
    }
  }
}
