package org.stacktician.server.api;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What both APIs answer with: a whole body made in memory, written straight to the connection with
 * its length. Javalin's {@code result} would copy it through a stream and a fresh buffer on every
 * request, which under load is most of a request's garbage.
 */
public final class Responses {
  private Responses() {}

  /** Sends {@code body} with {@code status} and {@code contentType}. */
  public static void write(Context ctx, int status, String contentType, byte[] body) {
    ctx.status(status).contentType(contentType);
    var res = ctx.res();
    res.setContentLength(body.length);
    try {
      res.getOutputStream().write(body);
    } catch (IOException e) {
      // The client went away; there is nobody left to tell.
      throw new UncheckedIOException("cannot write the response: " + e.getMessage(), e);
    }
  }
}
