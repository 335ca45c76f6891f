package org.stacktician.server.templates;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.stacktician.server.ServerException;
import org.stacktician.template.LoadResult;
import org.stacktician.template.Template;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateLimits;
import org.stacktician.template.TemplateLoader;

/** Validates a template body with the template module's loader, as {@code stackmate validate-template} does. */
public final class TemplateValidation {
  /** The largest template body the server takes (the template module's limit). */
  public static final int MAX_BODY_BYTES = TemplateLimits.defaults().bodyBytes();

  private TemplateValidation() {}

  /** The outcome: the template when valid, else every error with its path, line and column. */
  public record Result(Template template, List<TemplateError> errors) {
    public boolean valid() {
      return template != null;
    }
  }

  /**
   * A body's bytes (UTF-8).
   *
   * @throws ServerException.TooLarge when the body is larger than {@link #MAX_BODY_BYTES}
   */
  public static byte[] requireSize(String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_BODY_BYTES) {
      throw new ServerException.TooLarge("the template body has " + bytes.length + " bytes; at most " + MAX_BODY_BYTES
          + " are taken");
    }
    return bytes;
  }

  /**
   * Validates a body.
   *
   * @throws ServerException.TooLarge when the body is larger than {@link #MAX_BODY_BYTES}
   */
  public static Result validate(String body, String sourceName) {
    byte[] bytes = requireSize(body);
    return switch (TemplateLoader.load(bytes, sourceName, TemplateLimits.defaults())) {
      case LoadResult.Loaded loaded -> new Result(loaded.template(), List.of());
      case LoadResult.Invalid invalid -> new Result(null, invalid.errors());
    };
  }
}
