package org.stacktician.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.stacktician.server.ServerException;
import org.stacktician.server.users.Caller;

/**
 * Finds the user a request acts for from its {@code Authorization} header. Two schemes, both by
 * the user's access key: {@code AWS4-HMAC-SHA256 ...} (a request signed with Signature Version 4,
 * the secret never sent), and {@code Bearer ACCESS_KEY_ID:SECRET} for curl (the secret sent: use
 * it over TLS only). A revoked key, or a key of a deleted user, is refused like an unknown one.
 */
public final class Authenticator {
  private final AccessKeyStore keys;
  private final SigV4Verifier sigV4;

  public Authenticator(AccessKeyStore keys, java.time.Clock clock) {
    this.keys = keys;
    this.sigV4 = new SigV4Verifier(keys::active, clock);
  }

  /** The verifier both APIs share. */
  public SigV4Verifier sigV4() {
    return sigV4;
  }

  /**
   * The caller of a request.
   *
   * @throws ServerException.Unauthorized without valid credentials
   */
  public Caller authenticate(String authorization, SigV4.Request request, byte[] body) {
    return authenticate(authorization, request, body, null);
  }

  /**
   * The caller of a request whose signature, if it is one, must be scoped to {@code service}
   * (null: any service).
   *
   * @throws ServerException.Unauthorized without valid credentials
   */
  public Caller authenticate(String authorization, SigV4.Request request, byte[] body, String service) {
    if (authorization == null || authorization.isBlank()) {
      throw new ServerException.Unauthorized("MissingAuthenticationToken", "this request needs an Authorization"
          + " header: a Signature Version 4 signature with your access key, or Bearer ACCESS_KEY_ID:SECRET");
    }
    AccessKeyStore.ActiveKey key;
    if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      key = bearer(authorization.substring(7).strip());
    } else if (authorization.startsWith(SigV4.ALGORITHM)) {
      key = sigV4.verify(authorization, request, body, service);
    } else {
      throw new ServerException.Unauthorized("IncompleteSignature", "unknown Authorization scheme: use "
          + SigV4.ALGORITHM + " or Bearer ACCESS_KEY_ID:SECRET");
    }
    // The key's row came with its user's: a deleted user has no keys left (ON DELETE CASCADE).
    return new Caller(key.user());
  }

  private AccessKeyStore.ActiveKey bearer(String token) {
    int colon = token.indexOf(':');
    if (colon <= 0) {
      throw new ServerException.Unauthorized("IncompleteSignature", "a bearer token is ACCESS_KEY_ID:SECRET");
    }
    String id = token.substring(0, colon);
    Optional<AccessKeyStore.ActiveKey> key = keys.active(id);
    if (key.isEmpty()) {
      throw invalidToken(id);
    }
    if (!MessageDigest.isEqual(key.get().secret().getBytes(StandardCharsets.UTF_8),
        token.substring(colon + 1).getBytes(StandardCharsets.UTF_8))) {
      throw new ServerException.Unauthorized("SignatureDoesNotMatch", "the secret does not match access key " + id);
    }
    return key.get();
  }

  private static ServerException.Unauthorized invalidToken(String id) {
    return new ServerException.Unauthorized("InvalidClientTokenId",
        "The security token included in the request is invalid: no active access key " + id);
  }
}
