package org.stacktician.cloudstack.simulator.commands;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.stacktician.cloudstack.simulator.http.ApiException;

/** CloudStack's user-data checks (UserDataManagerImpl.validateUserData): Base64, GET/POST and configured limits. */
public final class UserData {
  /** Longest user data accepted in a GET query string. */
  public static final int MAX_HTTP_GET_LENGTH = 2 * 2048;
  /** Longest user data accepted in a POST body. */
  public static final int MAX_HTTP_POST_LENGTH = 512 * 2048;

  private UserData() {}

  /** Validates the user-data parameter and returns its canonical (padded) Base64 form. */
  public static String validate(String raw, boolean post, int configuredMax) {
    String value = raw.contains("%") ? URLDecoder.decode(raw, StandardCharsets.UTF_8) : raw;
    if (!post && value.length() >= MAX_HTTP_GET_LENGTH) {
      throw ApiException.invalidParameterValue("User data is too long for an http GET request");
    }
    if (post && value.length() >= MAX_HTTP_POST_LENGTH) {
      throw ApiException.invalidParameterValue("User data is too long for POST request");
    }
    if (value.length() > configuredMax) {
      throw ApiException.invalidParameterValue("User data has exceeded configurable max length : " + configuredMax);
    }
    byte[] decoded;
    try {
      decoded = Base64.getMimeDecoder().decode(value.strip());
      if (!value.strip().matches("[A-Za-z0-9+/=\\r\\n]*")) {
        throw new IllegalArgumentException("not Base64");
      }
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidParameterValue("User data is not base64 encoded");
    }
    if (decoded.length < 1) {
      throw ApiException.invalidParameterValue("User data is too short");
    }
    return Base64.getEncoder().encodeToString(decoded);
  }

  /** The decoded text of stored (Base64) user data. */
  public static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
