package org.stacktician.cloudstack.client.signing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies CloudStack API requests exactly as the management server's
 * {@code ApiServer.verifyRequest} does (CLOUDSTACK-API.md §2): shared by client and simulator.
 */
public final class RequestSigner {

  /** The {@code expires} pattern every CloudStack release accepts (UTC, numeric offset). */
  public static final DateTimeFormatter EXPIRES_FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ").withZone(ZoneOffset.UTC);

  private static final String HMAC = "HmacSHA1";

  private RequestSigner() {
  }

  /**
   * The string the server signs: every parameter except {@code signature}, sorted by raw name
   * case-sensitively, names unencoded, values {@link URLEncoder}-encoded with {@code +} as
   * {@code %20}, the whole string lower-cased.
   */
  public static String stringToSign(Map<String, String> params) {
    List<String> names = new ArrayList<>(params.keySet());
    names.removeIf("signature"::equalsIgnoreCase);
    names.sort(null);
    StringBuilder unsigned = new StringBuilder();
    for (String name : names) {
      if (!unsigned.isEmpty()) {
        unsigned.append('&');
      }
      String value = Objects.requireNonNullElse(params.get(name), "");
      unsigned.append(name).append('=').append(encodeValue(value));
    }
    return unsigned.toString().toLowerCase(java.util.Locale.ROOT);
  }

  /** The signature value: Base64 (padded, standard alphabet) HMAC-SHA1 of {@link #stringToSign}. */
  public static String sign(Map<String, String> params, String secretKey) {
    Objects.requireNonNull(secretKey, "secretKey");
    return Base64.getEncoder().encodeToString(hmac(stringToSign(params), secretKey));
  }

  /** True when {@code signature} is the one the server would compute; constant-time comparison. */
  public static boolean verify(Map<String, String> paramsWithoutSignature, String signature, String secretKey) {
    if (signature == null || secretKey == null) {
      return false;
    }
    byte[] computed = sign(paramsWithoutSignature, secretKey).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(computed, signature.getBytes(StandardCharsets.UTF_8));
  }

  /** The signature-version-3 {@code expires} value {@code d} from now, e.g. {@code 2030-01-01T00:00:00+0000}. */
  public static String expiresIn(Duration d, Clock clock) {
    return EXPIRES_FORMAT.format(clock.instant().plus(d));
  }

  /** A value encoded the way the server encodes it before signing ({@code URLEncoder}, space as %20). */
  public static String encodeValue(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static byte[] hmac(String data, String secretKey) {
    return macFor(secretKey).doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A Mac initialised with the key: a clone of the last key's Mac when the key is the same (a
   * client and a simulator sign with one key; {@code Mac.getInstance} and {@code init} cost more
   * than the HMAC of a request itself).
   */
  private static Mac macFor(String secretKey) {
    KeyedMac last = lastMac;
    if (last != null && last.secretKey().equals(secretKey)) {
      try {
        return (Mac) last.mac().clone();
      } catch (CloneNotSupportedException e) {
        // a provider whose Mac cannot be cloned: make a new one below
      }
    }
    try {
      Mac mac = Mac.getInstance(HMAC);
      // The server uses String.getBytes() (platform default, UTF-8 on every supported JVM).
      mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), HMAC));
      lastMac = new KeyedMac(secretKey, mac);
      try {
        return (Mac) mac.clone();
      } catch (CloneNotSupportedException e) {
        lastMac = null;
        return mac;
      }
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA1 is unavailable in this JVM", e);
    }
  }

  private record KeyedMac(String secretKey, Mac mac) {}

  private static volatile KeyedMac lastMac;
}
