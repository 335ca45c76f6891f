package org.stacktician.server.api;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.stacktician.server.ServerException;
import org.stacktician.server.auth.SigV4;
import org.stacktician.server.templates.TemplateValidation;

/**
 * What both APIs read of a request before they know its caller: the body (once, since a signature
 * covers it; refused past the size limit) and the request as Signature Version 4 signs it.
 */
public final class SignedRequests {
  /** The largest body taken: a template body at its limit, escaped, with room for the other fields. */
  public static final int MAX_BODY = 2 * TemplateValidation.MAX_BODY_BYTES + 64 * 1024;

  private static final byte[] NO_BODY = new byte[0];

  private SignedRequests() {}

  /** The body, refused past {@link #MAX_BODY} with 413. */
  public static byte[] readBody(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > MAX_BODY) {
      drain(ctx);
      throw tooLarge(declared);
    }
    if (declared == 0 || (declared < 0 && ctx.req().getHeader("Transfer-Encoding") == null)) {
      return NO_BODY; // HTTP/1.1: no length and not chunked is no body (a GET's): no buffer to allocate
    }
    try (InputStream in = ctx.req().getInputStream()) {
      // A declared length is read exactly; a chunked body up to one byte past the limit.
      byte[] body = in.readNBytes(declared > 0 ? (int) declared : MAX_BODY + 1);
      if (body.length > MAX_BODY) {
        drain(ctx);
        throw tooLarge(body.length);
      }
      return body;
    } catch (IOException e) {
      throw ServerException.Invalid.field("", "cannot read the request body: " + e.getMessage());
    }
  }

  /** The request as signed: method, raw path and query, headers by lower-case name. */
  public static SigV4.Request sigV4Request(Context ctx) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : Collections.list(ctx.req().getHeaderNames())) {
      headers.put(name.toLowerCase(Locale.ROOT), Collections.list(ctx.req().getHeaders(name)));
    }
    return new SigV4.Request(ctx.method().name(), ctx.req().getRequestURI(), ctx.req().getQueryString(), headers, null);
  }

  /**
   * Reads and drops what is left of a refused body, up to {@link #DRAIN_LIMIT}, so a client still
   * sending it reads the refusal instead of a reset connection; past that the connection is closed.
   */
  private static void drain(Context ctx) {
    try (InputStream in = ctx.req().getInputStream()) {
      long left = DRAIN_LIMIT;
      byte[] sink = new byte[64 * 1024];
      for (int n = in.read(sink); n > 0 && (left -= n) > 0; n = in.read(sink)) {
        // dropped
      }
    } catch (IOException e) {
      // The client stopped sending; the refusal is written all the same.
    }
  }

  /** The most of a refused body read to its end. */
  private static final long DRAIN_LIMIT = 4L * MAX_BODY;

  private static ServerException.TooLarge tooLarge(long bytes) {
    return new ServerException.TooLarge("the request body has " + bytes + " bytes; at most " + MAX_BODY
        + " are taken (a template body at most " + TemplateValidation.MAX_BODY_BYTES + ")");
  }
}
