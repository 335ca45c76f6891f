package org.stacktician.cloudstack.simulator.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stacktician.cloudstack.client.signing.RequestSigner;
import org.stacktician.cloudstack.simulator.cloud.Account;
import org.stacktician.cloudstack.simulator.cloud.CloudState;

/**
 * Checks a request's API key and signature as ApiServer.verifyRequest does: the signature over
 * every other parameter (via the client's {@link RequestSigner}, so both sides share one
 * algorithm), and for signature version 3 an {@code expires} that has not passed (and, when
 * enforced, is at most 15 minutes ahead).
 */
public final class RequestAuthenticator {
  private static final List<DateTimeFormatter> EXPIRES_FORMATS = List.of(
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ"),
      DateTimeFormatter.ISO_OFFSET_DATE_TIME,
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ"),
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'Z"));

  private final CloudState state;
  private final Clock clock;
  private final boolean enforceExpiryWindow;

  public RequestAuthenticator(CloudState state, Clock clock, boolean enforceExpiryWindow) {
    this.state = state;
    this.clock = clock;
    this.enforceExpiryWindow = enforceExpiryWindow;
  }

  /** The calling account, or empty when the key is unknown, the signature wrong or the request expired. */
  public Optional<Account> authenticate(Map<String, String> params) {
    String apiKey = null;
    String signature = null;
    String version = null;
    String expires = null;
    Map<String, String> signed = new HashMap<>(params.size());
    for (Map.Entry<String, String> e : params.entrySet()) {
      String name = e.getKey();
      if (name.equalsIgnoreCase("signature")) {
        signature = e.getValue();
        continue;
      }
      signed.put(name, e.getValue());
      if (name.equalsIgnoreCase("apikey")) apiKey = e.getValue();
      else if (name.equalsIgnoreCase("signatureversion")) version = e.getValue();
      else if (name.equalsIgnoreCase("expires")) expires = e.getValue();
    }
    if (apiKey == null || signature == null) {
      return Optional.empty();
    }
    if ("3".equals(version)) {
      if (!expiresAcceptable(expires)) {
        return Optional.empty();
      }
    } else if (enforceExpiryWindow) {
      return Optional.empty();
    }
    String key = apiKey;
    Optional<Account> account = state.locked(() -> state.accountByApiKey(key));
    if (account.isEmpty()) {
      return Optional.empty();
    }
    return RequestSigner.verify(signed, signature, account.get().credentials().secretKey()) ? account : Optional.empty();
  }

  private boolean expiresAcceptable(String expires) {
    if (expires == null) {
      return false;
    }
    Instant at = parse(expires);
    if (at == null) {
      return false;
    }
    Instant now = clock.instant();
    if (at.isBefore(now)) {
      return false;
    }
    return !enforceExpiryWindow || !at.isAfter(now.plus(Duration.ofMinutes(15)));
  }

  /** Parses the {@code expires} formats current CloudStack servers accept; null when none fits. */
  static Instant parse(String text) {
    for (DateTimeFormatter f : EXPIRES_FORMATS) {
      try {
        return OffsetDateTime.parse(text, f).toInstant();
      } catch (DateTimeParseException e) {
        // try the next format
      }
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
