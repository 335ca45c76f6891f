package org.stacktician.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.stacktician.server.ServerException;

/**
 * Verifies a request signed with AWS Signature Version 4 in its {@code Authorization} header
 * against the secret of the access key it names. Refusals carry AWS's error codes
 * (IncompleteSignature, InvalidClientTokenId, SignatureDoesNotMatch, RequestExpired), which the
 * CloudFormation Query API returns as they are and the REST API as its 401 body's code.
 */
public final class SigV4Verifier {
  /** How far a request's time may be from the server's (AWS allows 15 minutes). */
  public static final Duration MAX_SKEW = Duration.ofMinutes(15);

  private final Function<String, Optional<AccessKeyStore.ActiveKey>> keys;
  private final Clock clock;

  /** @param keys the active key of an access key id, if there is one */
  public SigV4Verifier(Function<String, Optional<AccessKeyStore.ActiveKey>> keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  /** The parts of an {@code Authorization: AWS4-HMAC-SHA256 ...} header. */
  record Authorization(String accessKeyId, SigV4.Scope scope, List<String> signedHeaders, String signature) {
    static Authorization parse(String header) {
      if (!header.startsWith(SigV4.ALGORITHM + " ")) {
        throw incomplete("the Authorization header must start with " + SigV4.ALGORITHM);
      }
      String credential = null;
      String signed = null;
      String signature = null;
      for (String part : header.substring(SigV4.ALGORITHM.length() + 1).split(",")) {
        String p = part.strip();
        int eq = p.indexOf('=');
        if (eq < 0) {
          continue;
        }
        String value = p.substring(eq + 1).strip();
        switch (p.substring(0, eq).strip()) {
          case "Credential" -> credential = value;
          case "SignedHeaders" -> signed = value;
          case "Signature" -> signature = value;
          default -> { }
        }
      }
      if (credential == null || signed == null || signature == null) {
        throw incomplete("the Authorization header needs Credential=, SignedHeaders= and Signature=");
      }
      String[] c = credential.split("/");
      if (c.length != 5 || !"aws4_request".equals(c[4])) {
        throw incomplete("Credential must be ACCESS_KEY_ID/yyyyMMdd/REGION/SERVICE/aws4_request, got '"
            + credential + "'");
      }
      return new Authorization(c[0], new SigV4.Scope(c[1], c[2], c[3]), Arrays.asList(signed.split(";")), signature);
    }
  }

  /**
   * The key that signed the request.
   *
   * @param authorization the {@code Authorization} header's value
   * @throws ServerException.Unauthorized when the request is not validly signed by an active key
   */
  public AccessKeyStore.ActiveKey verify(String authorization, SigV4.Request request, byte[] body) {
    return verify(authorization, request, body, null);
  }

  /**
   * The key that signed the request for {@code service} (null: any service).
   *
   * @throws ServerException.Unauthorized when the request is not validly signed by an active key for that service
   */
  public AccessKeyStore.ActiveKey verify(String authorization, SigV4.Request request, byte[] body, String service) {
    Authorization auth = Authorization.parse(authorization);
    if (service != null && !service.equals(auth.scope().service())) {
      throw new ServerException.Unauthorized("SignatureDoesNotMatch", "Credential should be scoped to correct service: '"
          + service + "'.");
    }
    if (!auth.signedHeaders().contains("host")) {
      throw incomplete("SignedHeaders must include host");
    }
    String amzDate = first(request, "x-amz-date");
    if (amzDate == null || !auth.signedHeaders().contains("x-amz-date")) {
      throw incomplete("the request needs an X-Amz-Date header (yyyyMMddTHHmmssZ), listed in SignedHeaders");
    }
    Instant at;
    try {
      at = AmzDate.parse(amzDate);
    } catch (DateTimeParseException e) {
      throw incomplete("X-Amz-Date '" + amzDate + "' is not in the form yyyyMMddTHHmmssZ");
    }
    if (!amzDate.startsWith(auth.scope().date())) {
      throw new ServerException.Unauthorized("SignatureDoesNotMatch", "the Credential's date " + auth.scope().date()
          + " is not the date of X-Amz-Date " + amzDate);
    }
    Instant now = clock.instant();
    if (Duration.between(at, now).abs().compareTo(MAX_SKEW) > 0) {
      throw new ServerException.Unauthorized("RequestExpired", "Signature expired: " + amzDate
          + " is more than 15 minutes from the server's time " + AmzDate.format(now));
    }
    String actualHash = SigV4.hex(SigV4.sha256(body));
    String claimed = first(request, "x-amz-content-sha256");
    if (claimed != null && !claimed.equalsIgnoreCase(actualHash)) {
      throw new ServerException.Unauthorized("SignatureDoesNotMatch",
          "the X-Amz-Content-Sha256 header is not the SHA-256 of the body");
    }
    AccessKeyStore.ActiveKey key = keys.apply(auth.accessKeyId()).orElseThrow(() ->
        new ServerException.Unauthorized("InvalidClientTokenId",
            "The security token included in the request is invalid: no active access key " + auth.accessKeyId()));
    SigV4.Request signed = new SigV4.Request(request.method(), request.rawPath(), request.rawQuery(), request.headers(),
        claimed != null ? claimed.toLowerCase(java.util.Locale.ROOT) : actualHash);
    String canonical = SigV4.canonicalRequest(signed, auth.signedHeaders());
    String expected = SigV4.signature(key.secret(), auth.scope(), SigV4.stringToSign(amzDate, auth.scope(), canonical));
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        auth.signature().getBytes(StandardCharsets.US_ASCII))) {
      throw new ServerException.Unauthorized("SignatureDoesNotMatch", "The request signature we calculated does not"
          + " match the signature you provided. Check your secret access key and signing method.");
    }
    return key;
  }

  private static String first(SigV4.Request r, String header) {
    List<String> v = r.headers().get(header);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  private static ServerException.Unauthorized incomplete(String message) {
    return new ServerException.Unauthorized("IncompleteSignature", message);
  }
}
