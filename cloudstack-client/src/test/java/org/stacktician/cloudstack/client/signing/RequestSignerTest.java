package org.stacktician.cloudstack.client.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestSignerTest {

  private static final String SECRET = "test-secret-key";

  private static Map<String, String> vector1() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("command", "deployVirtualMachine");
    p.put("response", "json");
    p.put("apiKey", "test-api-key");
    p.put("zoneid", "1d8d87d4-1425-459c-8d81-c6f57dca2bd2");
    p.put("displayname", "web server*1 ~a+b/c");
    p.put("signatureVersion", "3");
    p.put("expires", "2030-01-01T00:00:00+0000");
    p.put("details[0].cpuNumber", "2");
    return p;
  }

  @Test
  void vector1StringToSignAndSignature() {
    assertThat(RequestSigner.stringToSign(vector1())).isEqualTo(
        "apikey=test-api-key&command=deployvirtualmachine&details[0].cpunumber=2"
            + "&displayname=web%20server*1%20%7ea%2bb%2fc&expires=2030-01-01t00%3a00%3a00%2b0000"
            + "&response=json&signatureversion=3&zoneid=1d8d87d4-1425-459c-8d81-c6f57dca2bd2");
    assertThat(RequestSigner.sign(vector1(), SECRET)).isEqualTo("NyVPofH8wS+Rdt6meUi/9DD3z/w=");
  }

  @Test
  void vector2() {
    Map<String, String> p = Map.of("command", "listZones", "response", "json", "apiKey", "test-api-key");
    assertThat(RequestSigner.stringToSign(p)).isEqualTo("apikey=test-api-key&command=listzones&response=json");
    assertThat(RequestSigner.sign(p, SECRET)).isEqualTo("ypByT97+Feq9LXl/tBk0hKLPVIY=");
  }

  @Test
  void signatureParameterIsIgnoredWhenSigning() {
    Map<String, String> p = new LinkedHashMap<>(vector1());
    p.put("signature", "whatever");
    assertThat(RequestSigner.sign(p, SECRET)).isEqualTo("NyVPofH8wS+Rdt6meUi/9DD3z/w=");
  }

  @Test
  void verifyAcceptsTheRightSignatureOnly() {
    assertThat(RequestSigner.verify(vector1(), "NyVPofH8wS+Rdt6meUi/9DD3z/w=", SECRET)).isTrue();
    assertThat(RequestSigner.verify(vector1(), "NyVPofH8wS+Rdt6meUi/9DD3z/w=", "other-secret")).isFalse();
    Map<String, String> tampered = new LinkedHashMap<>(vector1());
    tampered.put("zoneid", "another");
    assertThat(RequestSigner.verify(tampered, "NyVPofH8wS+Rdt6meUi/9DD3z/w=", SECRET)).isFalse();
    assertThat(RequestSigner.verify(vector1(), null, SECRET)).isFalse();
  }

  @Test
  void sortIsCaseSensitiveOnRawNames() {
    // 'Z' (0x5A) sorts before 'a' (0x61): a case-insensitive sort would order these differently.
    Map<String, String> p = Map.of("apple", "1", "Zebra", "2");
    assertThat(RequestSigner.stringToSign(p)).isEqualTo("zebra=2&apple=1");
  }

  @Test
  void expiresUsesTheUtcNumericOffsetPattern() {
    Clock clock = Clock.fixed(Instant.parse("2029-12-31T23:50:00Z"), ZoneOffset.ofHours(5));
    assertThat(RequestSigner.expiresIn(Duration.ofMinutes(10), clock)).isEqualTo("2030-01-01T00:00:00+0000");
  }
}
