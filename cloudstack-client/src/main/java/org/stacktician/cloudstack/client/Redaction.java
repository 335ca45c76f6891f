package org.stacktician.cloudstack.client;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Hides secrets (keys, signatures, passwords, private keys, userdata, ...) in request parameters before they are shown or logged. */
public final class Redaction {

  /** What a redacted value is replaced with. */
  public static final String MASK = "****";

  private static final Pattern SECRET_NAME = Pattern.compile(
      "apikey|signature|sessionkey|.*password.*|.*secret.*|.*privatekey.*|.*userdata.*|.*psk.*"
          + "|.*token.*|.*credential.*|certificate|certchain|privatekeypassword|base64image");

  private Redaction() {
  }

  /** True when a parameter of this name (map sub-keys included, e.g. {@code details[0].password}) holds a secret. */
  public static boolean isSecret(String parameterName) {
    String name = parameterName.toLowerCase(Locale.ROOT);
    int bracket = name.indexOf('[');
    if (bracket >= 0) {
      // a map entry: secret if the map or its sub-key is secret, or a details value is keyed by a secret name
      return SECRET_NAME.matcher(name.substring(0, bracket)).matches()
          || SECRET_NAME.matcher(name.substring(name.lastIndexOf('.') + 1)).matches();
    }
    return SECRET_NAME.matcher(name).matches();
  }

  /**
   * As {@link #redact(Map)}, and every occurrence of one of {@code values} (say, a stack's NoEcho
   * parameters, wherever a template put them) inside any value replaced by {@link #MASK} as well.
   */
  public static Map<String, String> redact(Map<String, String> params, java.util.Collection<String> values) {
    Map<String, String> out = redact(params);
    if (!values.isEmpty()) {
      out.replaceAll((k, v) -> mask(v, values));
    }
    return out;
  }

  /**
   * {@code text} with every occurrence of one of {@code values} (empty ones ignored), as written or
   * escaped as inside a JSON string, replaced by {@link #MASK}; longer values first, so that a secret
   * that contains a shorter one is never left half shown.
   */
  public static String mask(String text, java.util.Collection<String> values) {
    if (text == null) {
      return null;
    }
    String out = text;
    java.util.List<String> longestFirst = values.stream().filter(v -> v != null && !v.isEmpty())
        .sorted(java.util.Comparator.comparingInt(String::length).reversed()).toList();
    for (String v : longestFirst) {
      String escaped = new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(v));
      if (!escaped.equals(v) && out.contains(escaped)) {
        out = out.replace(escaped, MASK);
      }
      if (out.contains(v)) {
        out = out.replace(v, MASK);
      }
    }
    return out;
  }

  /** A sorted copy with secret values replaced by {@link #MASK}. */
  public static Map<String, String> redact(Map<String, String> params) {
    Map<String, String> out = new TreeMap<>();
    params.forEach((k, v) -> out.put(k, isSecret(k) ? MASK : v));
    // key/value maps (details[i].key=password, details[i].value=...): hide the value of a secret-named key
    params.forEach((k, v) -> {
      if (k.endsWith("].key") && v != null && isSecret(v)) {
        out.computeIfPresent(k.substring(0, k.length() - "key".length()) + "value", (x, y) -> MASK);
      }
    });
    return out;
  }
}
