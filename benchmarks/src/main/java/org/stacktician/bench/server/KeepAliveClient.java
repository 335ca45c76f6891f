package org.stacktician.bench.server;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * A load generator's HTTP/1.1 client, as wrk or hey are: one persistent loopback connection per
 * client thread, GET requests written in one piece, answers read to their end (Content-Length or
 * chunked) and discarded. It spends little CPU of its own, so a closed-loop run on the cores the
 * server also uses measures the server rather than the client library.
 */
final class KeepAliveClient implements AutoCloseable {
  private static final int MAX_HEADER_LINE = 16 * 1024;

  private final String host;
  private final int port;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private final byte[] skip = new byte[16 * 1024];
  private final StringBuilder line = new StringBuilder(128);

  KeepAliveClient(URI server) {
    this.host = server.getHost();
    this.port = server.getPort();
  }

  /** Sends {@code GET target} with {@code headers} and reads the whole answer; returns its status and body size. */
  Answer get(String target, Map<String, String> headers) throws IOException {
    if (socket == null) {
      connect();
    }
    StringBuilder request = new StringBuilder(512).append("GET ").append(target).append(" HTTP/1.1\r\nHost: ")
        .append(host).append(':').append(port).append("\r\nAccept: */*\r\n");
    headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    request.append("\r\n");
    try {
      out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return read();
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  /** A status and how many body bytes came with it. */
  record Answer(int status, long bodyBytes) {}

  private Answer read() throws IOException {
    String status = readLine();
    if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
      throw new IOException("not an HTTP/1.1 status line: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean closes = false;
    for (String h = readLine(); !h.isEmpty(); h = readLine()) {
      int colon = h.indexOf(':');
      if (colon < 0) {
        throw new IOException("malformed header line: " + h);
      }
      String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = h.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> closes = value.equalsIgnoreCase("close");
        default -> { }
      }
    }
    long body;
    if (chunked) {
      body = 0;
      for (long size = Long.parseLong(readLine().split(";", 2)[0].trim(), 16); size > 0;
          size = Long.parseLong(readLine().split(";", 2)[0].trim(), 16)) {
        skipExactly(size);
        body += size;
        readLine();
      }
      while (!readLine().isEmpty()) {
        // trailers
      }
    } else if (length >= 0) {
      skipExactly(length);
      body = length;
    } else {
      throw new IOException("an answer with neither Content-Length nor chunked encoding");
    }
    if (closes) {
      close();
    }
    return new Answer(code, body);
  }

  private void skipExactly(long n) throws IOException {
    while (n > 0) {
      int r = in.read(skip, 0, (int) Math.min(skip.length, n));
      if (r < 0) {
        throw new IOException("connection closed inside a body");
      }
      n -= r;
    }
  }

  private String readLine() throws IOException {
    line.setLength(0);
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed inside an answer's head");
      }
      if (c != '\r') {
        line.append((char) c);
      }
      if (line.length() > MAX_HEADER_LINE) {
        throw new IOException("header line over " + MAX_HEADER_LINE + " characters");
      }
    }
    return line.toString();
  }

  private void connect() throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(host, port), 10_000);
    socket.setSoTimeout(60_000);
    in = new BufferedInputStream(socket.getInputStream(), 32 * 1024);
    out = new BufferedOutputStream(socket.getOutputStream(), 4 * 1024);
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing a loopback socket we are done with
      }
      socket = null;
    }
  }
}
