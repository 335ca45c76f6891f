package org.stacktician.server.api;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * What both APIs answer with: a whole body made in memory, written straight to the connection with
 * its length. Javalin's {@code result} would copy it through a stream and a fresh buffer on every
 * request, which under load is most of a request's garbage.
 */
public final class Responses {
  /** Buffers kept for later bodies: enough for every request a busy server answers at once. */
  private static final ArrayBlockingQueue<Body> FREE = new ArrayBlockingQueue<>(128);
  /** A buffer grown past this is dropped after use rather than kept (bounds what the pool holds to 32 MB). */
  private static final int KEEP_AT_MOST = 256 * 1024;

  private Responses() {}

  /** Makes a body on an output stream. */
  @FunctionalInterface
  public interface BodyWriter {
    void write(OutputStream out) throws IOException;
  }

  /** Sends {@code body} with {@code status} and {@code contentType}. */
  public static void write(Context ctx, int status, String contentType, byte[] body) {
    ctx.status(status).contentType(contentType);
    send(ctx, body.length, out -> out.write(body));
  }

  /**
   * Sends the body {@code writer} makes with {@code status} and {@code contentType}. It is made in a
   * buffer reused from earlier answers (a list page is tens of kilobytes, which a fresh buffer would
   * grow to and then copy once more), so nothing is sent when making it fails.
   */
  public static void write(Context ctx, int status, String contentType, BodyWriter writer) {
    Body body = java.util.Objects.requireNonNullElseGet(FREE.poll(), Body::new);
    try {
      try {
        writer.write(body);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make the response body: " + e.getMessage(), e);
      }
      ctx.status(status).contentType(contentType);
      send(ctx, body.size(), body::writeTo);
    } finally {
      // A blocking write has handed the bytes on when it returns: the buffer is free again.
      if (body.capacity() <= KEEP_AT_MOST) {
        body.reset();
        FREE.offer(body);
      }
    }
  }

  /** Sends {@code length} bytes that {@code bytes} writes, with that length. */
  private static void send(Context ctx, int length, BodyWriter bytes) {
    var res = ctx.res();
    res.setContentLength(length);
    try {
      bytes.write(res.getOutputStream());
    } catch (IOException e) {
      // The client went away; there is nobody left to tell.
      throw new UncheckedIOException("cannot write the response: " + e.getMessage(), e);
    }
  }

  /** A growable buffer that says how large it has grown. */
  private static final class Body extends ByteArrayOutputStream {
    Body() {
      super(16 * 1024);
    }

    int capacity() {
      return buf.length;
    }
  }
}
