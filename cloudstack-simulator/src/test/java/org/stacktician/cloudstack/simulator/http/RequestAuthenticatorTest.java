package org.stacktician.cloudstack.simulator.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stacktician.cloudstack.client.signing.RequestSigner;
import org.stacktician.cloudstack.simulator.cloud.CloudSeed;
import org.stacktician.cloudstack.simulator.cloud.CloudState;
import org.stacktician.cloudstack.simulator.config.AccountSpec;
import org.stacktician.cloudstack.simulator.config.Capacity;

/** Signature version 3 {@code expires} handling, as ApiServer.verifyRequest does it. */
class RequestAuthenticatorTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  private static Map<String, String> signed(String expires) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("command", "listZones");
    p.put("response", "json");
    p.put("apiKey", "test-api-key");
    if (expires != null) {
      p.put("signatureVersion", "3");
      p.put("expires", expires);
    }
    p.put("signature", RequestSigner.sign(p, "test-secret-key"));
    return p;
  }

  private static RequestAuthenticator authenticator(boolean enforce) {
    CloudState state = new CloudState(1, Clock.fixed(NOW, ZoneOffset.UTC), Capacity.UNLIMITED);
    state.locked(() -> CloudSeed.seed(state, List.of(new AccountSpec("demo", "test-api-key", "test-secret-key"))));
    return new RequestAuthenticator(state, Clock.fixed(NOW, ZoneOffset.UTC), enforce);
  }

  @Test
  void acceptsTheFormatsCurrentServersAccept() {
    RequestAuthenticator auth = authenticator(false);
    for (String expires : List.of("2030-01-01T00:10:00+0000", "2030-01-01T00:10:00Z", "2030-01-01T01:10:00+01:00",
        "2030-01-01T00:10:00.000+0000")) {
      assertThat(auth.authenticate(signed(expires))).as(expires).isPresent();
    }
    assertThat(auth.authenticate(signed("2029-12-31T23:59:00+0000"))).as("passed").isEmpty();
    assertThat(auth.authenticate(signed("next tuesday"))).as("unparsable").isEmpty();
    assertThat(auth.authenticate(signed(null))).as("version 1").isPresent();
  }

  @Test
  void enforcementRequiresVersion3AndAtMostFifteenMinutesAhead() {
    RequestAuthenticator auth = authenticator(true);
    assertThat(auth.authenticate(signed(null))).isEmpty();
    assertThat(auth.authenticate(signed("2030-01-01T00:14:00+0000"))).isPresent();
    assertThat(auth.authenticate(signed("2030-01-01T00:20:00+0000"))).isEmpty();
  }

  @Test
  void tamperedParametersFailTheSignature() {
    Map<String, String> p = signed("2030-01-01T00:10:00+0000");
    p.put("command", "listVirtualMachines");
    assertThat(authenticator(false).authenticate(p)).isEmpty();
  }
}
