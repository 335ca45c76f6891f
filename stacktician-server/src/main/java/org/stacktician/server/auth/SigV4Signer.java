package org.stacktician.server.auth;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Signs a request with AWS Signature Version 4 (for clients of the server: its tests, and the
 * {@code sm} client to come). It signs {@code host}, {@code x-amz-date}, {@code x-amz-content-sha256}
 * and any extra headers given.
 */
public final class SigV4Signer {
  private final String accessKeyId;
  private final String secret;
  private final String region;
  private final String service;

  public SigV4Signer(String accessKeyId, String secret, String region, String service) {
    this.accessKeyId = accessKeyId;
    this.secret = secret;
    this.region = region;
    this.service = service;
  }

  /**
   * The headers to add to the request: {@code X-Amz-Date}, {@code X-Amz-Content-Sha256} and
   * {@code Authorization}.
   */
  public Map<String, String> sign(String method, URI uri, Map<String, String> extraHeaders, byte[] body, Instant at) {
    String amzDate = AmzDate.format(at);
    String payload = SigV4.hex(SigV4.sha256(body));
    TreeMap<String, List<String>> headers = new TreeMap<>();
    extraHeaders.forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.of(v)));
    headers.put("host", List.of(uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort()));
    headers.put("x-amz-date", List.of(amzDate));
    headers.put("x-amz-content-sha256", List.of(payload));
    List<String> signed = new ArrayList<>(headers.keySet());
    SigV4.Scope scope = new SigV4.Scope(amzDate.substring(0, 8), region, service);
    SigV4.Request request = new SigV4.Request(method, uri.getRawPath(), uri.getRawQuery(), headers, payload);
    String signature = SigV4.signature(secret, scope,
        SigV4.stringToSign(amzDate, scope, SigV4.canonicalRequest(request, signed)));
    Map<String, String> out = new LinkedHashMap<>();
    out.put("X-Amz-Date", amzDate);
    out.put("X-Amz-Content-Sha256", payload);
    out.put("Authorization", SigV4.ALGORITHM + " Credential=" + accessKeyId + "/" + scope.text() + ", SignedHeaders="
        + String.join(";", signed) + ", Signature=" + signature);
    return out;
  }
}
