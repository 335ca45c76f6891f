package org.stacktician.engine.callback;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes and checks the unguessable callback URLs the engine hands out: wait-condition handle
 * URLs ({@code <base>/waitcondition/<stackId>/<handle>?signature=...}) and custom-resource
 * response URLs ({@code <base>/custom-resource/<stackId>/<logicalId>/<requestId>?signature=...}).
 * The signature is HMAC-SHA256, keyed by {@link SigningKeySource}, over the route kind and the
 * decoded path segments, Base64url without padding; checking is constant-time.
 */
public final class UrlSigner {
  /** Route kind of wait-condition handle URLs (also the first path segment). */
  public static final String WAIT_CONDITION = "waitcondition";
  /** Route kind of custom-resource response URLs (also the first path segment). */
  public static final String CUSTOM_RESOURCE = "custom-resource";
  /** Name of the query parameter that carries the signature. */
  public static final String SIGNATURE_PARAMETER = "signature";

  private static final int MIN_KEY_BYTES = 32;

  private final SigningKeySource keys;
  private final URI base;

  /**
   * @param keys the secret's source
   * @param advertisedBase the listener's URL as guests reach it, e.g. {@code http://10.1.1.1:8421/}
   */
  public UrlSigner(SigningKeySource keys, URI advertisedBase) {
    this.keys = Objects.requireNonNull(keys, "keys");
    String b = Objects.requireNonNull(advertisedBase, "advertisedBase").toString();
    this.base = URI.create(b.endsWith("/") ? b : b + "/");
  }

  /** The advertised base URL, ending with '/'. */
  public URI base() {
    return base;
  }

  /** The presigned URL a WaitConditionHandle's {@code Ref} gives. */
  public URI waitConditionUrl(String stackId, String handleLogicalId) {
    return signedUrl(WAIT_CONDITION, List.of(stackId, handleLogicalId));
  }

  /** The presigned ResponseURL sent to a custom-resource service for one request. */
  public URI customResourceResponseUrl(String stackId, String logicalId, String requestId) {
    return signedUrl(CUSTOM_RESOURCE, List.of(stackId, logicalId, requestId));
  }

  /** Route kind of per-stack metadata API URLs. */
  public static final String METADATA = "metadata-api";

  /**
   * The metadata API URL for one stack's guests ({@code CloudStack::StackMateApiURL} when the
   * listener requires signed metadata access): {@code <base>/metadata-api/<stackId>/<signature>/};
   * clients append {@code ?Action=DescribeStackResource&...} as to any CloudFormation endpoint.
   */
  public URI metadataUrl(String stackId) {
    return URI.create(base + METADATA + "/" + encodeSegment(stackId) + "/" + sign(METADATA, List.of(stackId)) + "/");
  }

  /**
   * The access key that lets boto-style clients (heat-cfntools' {@code --access-key}, the AWS CLI)
   * read one stack's metadata: any secret key works with it, only the key is checked.
   */
  public String metadataAccessKey(String stackId) {
    return "SMK" + sign(METADATA + "-key", List.of(stackId)).substring(0, 32);
  }

  /** True when {@code signature} is the right signature of the route kind and decoded segments. */
  public boolean verify(String kind, List<String> segments, String signature) {
    if (signature == null || signature.isEmpty()) {
      return false;
    }
    byte[] expected = sign(kind, segments).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
  }

  /** The signature of a route kind and its decoded path segments. */
  public String sign(String kind, List<String> segments) {
    byte[] key = keys.signingKey();
    if (key == null || key.length < MIN_KEY_BYTES) {
      throw new IllegalStateException(
          "the URL signing key must have at least " + MIN_KEY_BYTES + " bytes");
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(kind.getBytes(StandardCharsets.UTF_8));
      for (String segment : segments) {
        mac.update((byte) 0);
        mac.update(segment.getBytes(StandardCharsets.UTF_8));
      }
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  /**
   * The decoded path segments after {@code /<kind>/} in a URL this signer made, when its
   * signature is right; empty for any other URL. The host part is not compared, so URLs stay
   * valid when the listener's advertised address changes.
   */
  public java.util.Optional<List<String>> verifiedSegments(String kind, String url) {
    if (url == null) {
      return java.util.Optional.empty();
    }
    URI uri;
    try {
      uri = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
    String rawPath = uri.getRawPath();
    String rawQuery = uri.getRawQuery();
    if (rawPath == null || rawQuery == null) {
      return java.util.Optional.empty();
    }
    String marker = "/" + kind + "/";
    int at = rawPath.indexOf(marker);
    if (at < 0) {
      return java.util.Optional.empty();
    }
    List<String> segments = decodeSegments(List.of(rawPath.substring(at + marker.length()).split("/", -1)));
    String signature = null;
    for (String pair : rawQuery.split("&")) {
      if (pair.startsWith(SIGNATURE_PARAMETER + "=")) {
        signature = URLDecoder.decode(pair.substring(SIGNATURE_PARAMETER.length() + 1), StandardCharsets.UTF_8);
      }
    }
    return verify(kind, segments, signature) ? java.util.Optional.of(segments) : java.util.Optional.empty();
  }

  private URI signedUrl(String kind, List<String> segments) {
    StringBuilder path = new StringBuilder(base.toString()).append(kind);
    for (String segment : segments) {
      path.append('/').append(encodeSegment(segment));
    }
    path.append('?').append(SIGNATURE_PARAMETER).append('=').append(sign(kind, segments));
    return URI.create(path.toString());
  }

  /**
   * Encodes one path segment: percent-encoding, except that a value holding '/' (stack ids such
   * as {@code arn:...:stack/web/<uuid>}) is written {@code b64.<Base64url>}, because many servers
   * and proxies refuse or rewrite an encoded slash in a path.
   */
  public static String encodeSegment(String segment) {
    if (segment.indexOf('/') >= 0 || segment.startsWith(BASE64_MARKER)) {
      return BASE64_MARKER + Base64.getUrlEncoder().withoutPadding().encodeToString(segment.getBytes(StandardCharsets.UTF_8));
    }
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Decodes path segments written by {@link #encodeSegment}; a malformed one decodes to itself. */
  public static List<String> decodeSegments(List<String> raw) {
    List<String> out = new ArrayList<>(raw.size());
    for (String s : raw) {
      if (s.startsWith(BASE64_MARKER)) {
        try {
          out.add(new String(Base64.getUrlDecoder().decode(s.substring(BASE64_MARKER.length())), StandardCharsets.UTF_8));
          continue;
        } catch (IllegalArgumentException e) {
          // not ours: keep it as is, the signature check fails
        }
      }
      out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static final String BASE64_MARKER = "b64.";
}
