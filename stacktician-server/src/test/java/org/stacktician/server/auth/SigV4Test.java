package org.stacktician.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.stacktician.server.ServerException;

/** Signature Version 4 against AWS's published example, and the verifier's refusals. */
class SigV4Test {
  // AWS's documented example: IAM ListUsers signed on 2015-08-30 with the example secret.
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  private static final String AWS_SIGNATURE = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";
  private static final Instant AT = Instant.parse("2015-08-30T12:36:00Z");

  private static SigV4.Request example(String query) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("content-type", List.of("application/x-www-form-urlencoded; charset=utf-8"));
    headers.put("host", List.of("iam.amazonaws.com"));
    headers.put("x-amz-date", List.of("20150830T123600Z"));
    return new SigV4.Request("GET", "/", query, headers, SigV4.EMPTY_SHA256);
  }

  private static SigV4Verifier verifier(Instant now) {
    return new SigV4Verifier(id -> id.equals("AKIDEXAMPLE")
        ? Optional.of(new AccessKeyStore.ActiveKey(id,
            new org.stacktician.server.users.User("usr-1", "one", false, false, now), SECRET)) : Optional.empty(),
        Clock.fixed(now, ZoneOffset.UTC));
  }

  private static String authorization(String signature) {
    return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request,"
        + " SignedHeaders=content-type;host;x-amz-date, Signature=" + signature;
  }

  @Test
  void computesAwsDocumentedExampleSignature() {
    SigV4.Scope scope = new SigV4.Scope("20150830", "us-east-1", "iam");
    String canonical = SigV4.canonicalRequest(example("Version=2010-05-08&Action=ListUsers"),
        List.of("content-type", "host", "x-amz-date"));
    assertThat(canonical).isEqualTo("GET\n/\nAction=ListUsers&Version=2010-05-08\n"
        + "content-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\n"
        + "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n" + SigV4.EMPTY_SHA256);
    assertThat(SigV4.signature(SECRET, scope, SigV4.stringToSign("20150830T123600Z", scope, canonical)))
        .isEqualTo(AWS_SIGNATURE);
  }

  @Test
  void verifiesTheExampleAndRefusesTamperingUnknownKeysAndOldRequests() {
    AccessKeyStore.ActiveKey key = verifier(AT.plusSeconds(60)).verify(authorization(AWS_SIGNATURE),
        example("Action=ListUsers&Version=2010-05-08"), new byte[0]);
    assertThat(key.userId()).isEqualTo("usr-1");

    assertThatThrownBy(() -> verifier(AT).verify(authorization(AWS_SIGNATURE),
        example("Action=DeleteUser&Version=2010-05-08"), new byte[0]))
        .isInstanceOf(ServerException.Unauthorized.class).hasMessageContaining("does not match")
        .extracting(e -> ((ServerException) e).code()).isEqualTo("SignatureDoesNotMatch");
    assertThatThrownBy(() -> verifier(AT).verify(authorization(AWS_SIGNATURE), example("Action=ListUsers&Version=2010-05-08"),
        "a body".getBytes(StandardCharsets.UTF_8)))
        .extracting(e -> ((ServerException) e).code()).isEqualTo("SignatureDoesNotMatch");
    assertThatThrownBy(() -> verifier(AT).verify(authorization(AWS_SIGNATURE).replace("AKIDEXAMPLE", "AKIDOTHER"),
        example("Action=ListUsers&Version=2010-05-08"), new byte[0]))
        .extracting(e -> ((ServerException) e).code()).isEqualTo("InvalidClientTokenId");
    assertThatThrownBy(() -> verifier(AT.plusSeconds(16 * 60)).verify(authorization(AWS_SIGNATURE),
        example("Action=ListUsers&Version=2010-05-08"), new byte[0]))
        .extracting(e -> ((ServerException) e).code()).isEqualTo("RequestExpired");
    assertThatThrownBy(() -> verifier(AT).verify("AWS4-HMAC-SHA256 Signature=abc", example(""), new byte[0]))
        .extracting(e -> ((ServerException) e).code()).isEqualTo("IncompleteSignature");
  }

  @Test
  void signerAndVerifierAgreeOnPathsAndQueriesThatNeedEncoding() {
    SigV4Signer signer = new SigV4Signer("AKIDEXAMPLE", SECRET, "us-east-1", "stacktician");
    URI uri = URI.create("http://127.0.0.1:8780/api/v1/templates?name=web%20app&limit=5&category=a%2Bb");
    byte[] body = "{\"x\":1}".getBytes(StandardCharsets.UTF_8);
    Map<String, String> signed = signer.sign("POST", uri, Map.of("Content-Type", "application/json"), body, AT);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("content-type", List.of("application/json"));
    headers.put("host", List.of("127.0.0.1:8780"));
    headers.put("x-amz-date", List.of(signed.get("X-Amz-Date")));
    headers.put("x-amz-content-sha256", List.of(signed.get("X-Amz-Content-Sha256")));
    SigV4.Request request = new SigV4.Request("POST", uri.getRawPath(), uri.getRawQuery(), headers, null);
    assertThat(verifier(AT).verify(signed.get("Authorization"), request, body).accessKeyId()).isEqualTo("AKIDEXAMPLE");
  }
}
