package org.stacktician.server.auth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4, the one implementation the server's signer and verifier share
 * (the REST API and the CloudFormation Query API both verify with it). It follows AWS's
 * specification for services other than S3: the canonical URI is the request's already
 * percent-encoded path encoded once more, as the AWS SDKs and CLI send it.
 */
public final class SigV4 {
  /** The only algorithm: {@value}. */
  public static final String ALGORITHM = "AWS4-HMAC-SHA256";
  /** The payload hash of an empty body. */
  public static final String EMPTY_SHA256 = hex(sha256(new byte[0]));

  private SigV4() {}

  /**
   * A request as signed: the method, the path and query exactly as sent (percent-encoded), the
   * headers by lower-case name, and the payload's SHA-256 in hex.
   */
  public record Request(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
      String payloadSha256) {}

  /** The credential scope: date (yyyyMMdd), region, service, {@code aws4_request}. */
  public record Scope(String date, String region, String service) {
    public String text() {
      return date + "/" + region + "/" + service + "/aws4_request";
    }
  }

  /** The canonical request of AWS's specification, over the given signed headers (lower case). */
  public static String canonicalRequest(Request r, List<String> signedHeaders) {
    StringBuilder sb = new StringBuilder();
    sb.append(r.method().toUpperCase(Locale.ROOT)).append('\n');
    sb.append(canonicalUri(r.rawPath())).append('\n');
    sb.append(canonicalQuery(r.rawQuery())).append('\n');
    for (String h : signedHeaders) {
      List<String> values = r.headers().getOrDefault(h, List.of());
      List<String> trimmed = new ArrayList<>();
      for (String v : values) {
        trimmed.add(v.strip().replaceAll("\\s+", " "));
      }
      sb.append(h).append(':').append(String.join(",", trimmed)).append('\n');
    }
    sb.append('\n').append(String.join(";", signedHeaders)).append('\n');
    sb.append(r.payloadSha256());
    return sb.toString();
  }

  /** The string to sign for a canonical request. */
  public static String stringToSign(String amzDate, Scope scope, String canonicalRequest) {
    return ALGORITHM + "\n" + amzDate + "\n" + scope.text() + "\n"
        + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
  }

  /** The signature (hex) of a string to sign with a secret access key. */
  public static String signature(String secret, Scope scope, String stringToSign) {
    return hex(hmac(signingKey(secret, scope), stringToSign));
  }

  /**
   * The day's signing key of a secret for a scope: four HMACs, the same for every request of that
   * key, scope and day, so it is derived once and kept (as the AWS SDKs keep it; bounded).
   */
  private static byte[] signingKey(String secret, Scope scope) {
    String id = scope.text() + '\n' + secret;
    byte[] key = SIGNING_KEYS.get(id);
    if (key == null) {
      key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), scope.date());
      key = hmac(key, scope.region());
      key = hmac(key, scope.service());
      key = hmac(key, "aws4_request");
      if (SIGNING_KEYS.size() >= MAX_SIGNING_KEYS) {
        SIGNING_KEYS.clear();
      }
      SIGNING_KEYS.put(id, key);
    }
    return key;
  }

  /** Signing keys kept; past this many the cache starts over (a day's keys of the active access keys). */
  private static final int MAX_SIGNING_KEYS = 10_000;
  private static final java.util.concurrent.ConcurrentHashMap<String, byte[]> SIGNING_KEYS =
      new java.util.concurrent.ConcurrentHashMap<>();
  private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

  /** The canonical URI: each byte outside the unreserved set and '/' percent-encoded ('%' too). */
  static String canonicalUri(String rawPath) {
    String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
    return encode(path, true);
  }

  /** The canonical query string: decoded pairs re-encoded, sorted by name then value. */
  static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    TreeMap<String, List<String>> sorted = new TreeMap<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      sorted.computeIfAbsent(encode(name, false), k -> new ArrayList<>()).add(encode(value, false));
    }
    StringBuilder sb = new StringBuilder();
    sorted.forEach((name, values) -> values.stream().sorted().forEach(v ->
        sb.append(sb.isEmpty() ? "" : "&").append(name).append('=').append(v)));
    return sb.toString();
  }

  /** RFC 3986 encoding of every byte but the unreserved ones (and '/' when {@code keepSlash}). */
  public static String encode(String s, boolean keepSlash) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
          || c == '.' || c == '~' || (keepSlash && c == '/')) {
        sb.append(c);
      } else {
        sb.append('%').append(HEX_UPPER[(b >> 4) & 0xf]).append(HEX_UPPER[b & 0xf]);
      }
    }
    return sb.toString();
  }

  private static String decode(String s) {
    // '+' is a literal plus in SigV4 query strings, not a space.
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** SHA-256 of bytes. */
  public static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no SHA-256", e);
    }
  }

  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no HmacSHA256", e);
    }
  }
}
