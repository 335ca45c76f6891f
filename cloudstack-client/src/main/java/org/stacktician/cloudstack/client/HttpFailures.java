package org.stacktician.cloudstack.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;

/** Says in words why an HTTP request failed (the JDK client's exceptions often have no message). */
public final class HttpFailures {
  private HttpFailures() {}

  /** A short reason such as "connection refused" or "unknown host"; {@code requestTimeout} is the one that was set. */
  public static String describe(IOException e, Duration requestTimeout) {
    if (e instanceof HttpConnectTimeoutException) {
      return "connect timed out";
    }
    if (e instanceof HttpTimeoutException) {
      return "no answer within " + requestTimeout.toMillis() + " ms";
    }
    if (causeOf(e, UnresolvedAddressException.class) || causeOf(e, UnknownHostException.class)) {
      return "unknown host";
    }
    if (causeOf(e, ConnectException.class)) {
      return "connection refused";
    }
    if (causeOf(e, javax.net.ssl.SSLException.class)) {
      return "TLS failure: " + e.getMessage();
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : "connection dropped: " + message;
  }

  /** True when the request cannot have reached the server: the connection was never established. */
  public static boolean neverSent(IOException e) {
    return e instanceof HttpConnectTimeoutException || causeOf(e, ConnectException.class)
        || causeOf(e, UnresolvedAddressException.class) || causeOf(e, UnknownHostException.class);
  }

  private static boolean causeOf(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
