package org.stacktician.server.cfn;

import java.util.stream.Collectors;
import org.stacktician.server.ServerException;

/**
 * A refusal of the CloudFormation Query API as AWS answers it: an error code of the service's
 * model (ValidationError, AlreadyExistsException, ...) or of AWS's common errors
 * (InvalidClientTokenId, SignatureDoesNotMatch, ...), its HTTP status, and whose fault it is.
 */
final class CfnError extends RuntimeException {
  private final String code;
  private final int status;
  private final boolean sender;

  CfnError(String code, int status, String message) {
    this(code, status, message, status < 500);
  }

  private CfnError(String code, int status, String message, boolean sender) {
    super(message);
    this.code = code;
    this.status = status;
    this.sender = sender;
  }

  /** The commonest refusal: bad input, or a stack that is not the caller's (400). */
  static CfnError validation(String message) {
    return new CfnError("ValidationError", 400, message);
  }

  /** A missing required parameter, in AWS's words. */
  static CfnError missing(String name) {
    return validation("1 validation error detected: Value null at '" + Character.toLowerCase(name.charAt(0))
        + name.substring(1) + "' failed to satisfy constraint: Member must not be null");
  }

  /** The server's refusal as this API words it. */
  static CfnError of(ServerException e) {
    return switch (e) {
      case ServerException.Unauthorized u -> new CfnError(u.code(), switch (u.code()) {
        case "IncompleteSignature", "RequestExpired" -> 400;
        default -> 403;
      }, u.getMessage());
      case ServerException.Conflict c -> switch (c.code()) {
        case ServerException.Conflict.ALREADY_EXISTS -> new CfnError("AlreadyExistsException", 400, c.getMessage());
        case ServerException.Conflict.INVALID_CHANGE_SET_STATUS -> new CfnError(c.code(), 400, c.getMessage());
        default -> validation(c.getMessage()); // as CloudFormation refuses an operation in the wrong state
      };
      case ServerException.Invalid i -> {
        // every error with its path, line and column, unless the message already says it
        String more = i.errors().stream().map(Object::toString)
            .filter(err -> !i.getMessage().contains(err) && !i.getMessage().endsWith(err.substring(err.indexOf(": ") + 2)))
            .collect(Collectors.joining("; "));
        yield validation(more.isEmpty() ? i.getMessage() : i.getMessage() + ": " + more);
      }
      case ServerException.NotFound n -> validation(n.getMessage());
      case ServerException.TooLarge t -> validation(t.getMessage());
      case ServerException.Unavailable u -> new CfnError("ServiceUnavailable", 503, u.getMessage(), false);
    };
  }

  /** A failure of the server's own (500). */
  static CfnError internal() {
    return new CfnError("InternalFailure", 500, "the server failed to answer this request; its log has the details",
        false);
  }

  String code() {
    return code;
  }

  int status() {
    return status;
  }

  /** Sender (the request's fault) or Receiver (the server's). */
  String type() {
    return sender ? "Sender" : "Receiver";
  }
}
