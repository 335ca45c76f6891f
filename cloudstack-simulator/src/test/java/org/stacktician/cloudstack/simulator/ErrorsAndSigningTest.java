package org.stacktician.cloudstack.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stacktician.cloudstack.simulator.SimulatorTesting.WAIT;
import static org.stacktician.cloudstack.simulator.SimulatorTesting.idOf;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stacktician.cloudstack.client.AsyncJobFailedException;
import org.stacktician.cloudstack.client.CloudStackApiException;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.client.Credentials;
import org.stacktician.cloudstack.client.RetryPolicy;
import org.stacktician.cloudstack.client.signing.RequestSigner;
import org.stacktician.cloudstack.simulator.config.Capacity;
import org.stacktician.cloudstack.simulator.config.SimulatorConfig;

/** Signature checks and CloudStack's error answers (status = error code, body, cserrorcode) over real HTTP. */
class ErrorsAndSigningTest {
  private static CloudStackSimulator sim;
  private static CloudStackClient client;
  private static String zone;
  private static String small;
  private static String template;

  @BeforeAll
  static void start() {
    sim = CloudStackSimulator.start();
    client = SimulatorTesting.client(sim);
    zone = idOf(client, "listZones", Map.of(), "Sandbox-simulator");
    small = idOf(client, "listServiceOfferings", Map.of(), "Small Instance");
    template = idOf(client, "listTemplates", Map.of("templatefilter", "featured"), "Ubuntu 22.04 LTS");
  }

  @AfterAll
  static void stop() {
    client.close();
    sim.close();
  }

  private static CloudStackApiException apiError(Runnable call) {
    try {
      call.run();
    } catch (CloudStackApiException e) {
      return e;
    }
    throw new AssertionError("expected a CloudStack error answer");
  }

  @Test
  void wrongSecretKeyIs401WithCloudStacksBody() {
    try (CloudStackClient wrong = SimulatorTesting.client(sim, new Credentials(sim.credentials().apiKey(), "not-the-secret"))) {
      CloudStackApiException e = apiError(() -> wrong.list("listZones", Map.of()));
      assertThat(e.httpStatus()).isEqualTo(401);
      assertThat(e.isAuthenticationFailure()).isTrue();
      assertThat(e.errorText()).isEqualTo("unable to verify user credentials and/or request signature");
    }
    SimulatorTesting.Raw raw = SimulatorTesting.raw(sim, false, Map.of("command", "listZones", "response", "json",
        "apiKey", "unknown", "signature", "x"));
    assertThat(raw.status()).isEqualTo(401);
    assertThat(raw.body().path("listzonesresponse").path("errorcode").asInt()).isEqualTo(401);
    assertThat(raw.body().path("listzonesresponse").has("uuidList")).isTrue();
  }

  @Test
  void expiredSignatureVersion3RequestIs401AndAFreshOneIsAccepted() {
    Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
    try (CloudStackClient stale = CloudStackClient.builder().endpoint(sim.endpoint()).credentials(sim.credentials())
        .signatureVersion3(true).clock(past).retryPolicy(RetryPolicy.none()).build()) {
      assertThat(apiError(() -> stale.list("listZones", Map.of())).httpStatus()).isEqualTo(401);
    }
    Map<String, String> p = new LinkedHashMap<>();
    p.put("command", "listZones");
    p.put("signatureVersion", "3");
    p.put("expires", RequestSigner.expiresIn(Duration.ofMinutes(5), Clock.systemUTC()));
    assertThat(SimulatorTesting.signed(sim, false, p).status()).isEqualTo(200);
    p.remove("expires");
    assertThat(SimulatorTesting.signed(sim, false, p).status()).as("version 3 without expires").isEqualTo(401);
  }

  @Test
  void signatureMustEncodeValuesExactlyLikeTheServer() {
    // A client that leaves '~' unencoded (as Go's QueryEscape does) computes another signature.
    Map<String, String> p = new LinkedHashMap<>();
    p.put("command", "listSecurityGroups");
    p.put("response", "json");
    p.put("keyword", "a~b");
    p.put("apiKey", sim.credentials().apiKey());
    String unsigned = RequestSigner.stringToSign(p).replace("%7e", "~");
    String goStyle = hmac(unsigned, sim.credentials().secretKey());
    Map<String, String> wrong = new LinkedHashMap<>(p);
    wrong.put("signature", goStyle);
    assertThat(SimulatorTesting.raw(sim, false, wrong).status()).isEqualTo(401);
    assertThat(SimulatorTesting.signed(sim, false, Map.of("command", "listSecurityGroups", "keyword", "a~b")).status()).isEqualTo(200);
  }

  private static String hmac(String text, String key) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
      mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void unknownCommandIs432UnderErrorresponse() {
    SimulatorTesting.Raw raw = SimulatorTesting.signed(sim, false, Map.of("command", "listUnicorns"));
    assertThat(raw.status()).isEqualTo(432);
    assertThat(raw.body().path("errorresponse").path("errortext").asText()).isEqualTo("Unknown API command: listUnicorns");
    assertThat(raw.response().headers().firstValue("X-Description")).hasValue("Unknown API command: listUnicorns");
  }

  @Test
  void missingAndMalformedParametersAre431() {
    SimulatorTesting.Raw missing = SimulatorTesting.signed(sim, true, Map.of("command", "deployVirtualMachine", "zoneid", zone));
    assertThat(missing.status()).isEqualTo(431);
    assertThat(missing.body().path("deployvirtualmachineresponse").path("errortext").asText())
        .startsWith("Unable to execute API command deployvirtualmachine due to missing parameter");
    assertThat(missing.body().path("deployvirtualmachineresponse").path("cserrorcode").asInt()).isEqualTo(9999);

    CloudStackApiException malformed = apiError(() -> client.list("listVirtualMachines", Map.of("id", "not-a-uuid")));
    assertThat(malformed.httpStatus()).isEqualTo(431);
    CloudStackApiException badInt = apiError(() -> client.list("listVirtualMachines", Map.of("page", "one")));
    assertThat(badInt.errorCode()).isEqualTo(431);
    CloudStackApiException badBool = apiError(() -> client.list("listVirtualMachines", Map.of("listall", "maybe")));
    assertThat(badBool.errorCode()).isEqualTo(431);
    CloudStackApiException tooLong = apiError(() -> client.call("createSecurityGroup", Map.of("name", "x".repeat(300))));
    assertThat(tooLong.errorCode()).isEqualTo(431);
    assertThat(tooLong.errorText()).isEqualTo("Value greater than max allowed length 255 for param: name");
  }

  @Test
  void unknownIdsAreCloudStacksInvalidParameterAnswer() {
    String ghost = "6f1f4c57-0000-4000-8000-000000000001";
    CloudStackApiException e = apiError(() -> client.submit("stopVirtualMachine", Map.of("id", ghost)));
    assertThat(e.httpStatus()).isEqualTo(431);
    assertThat(e.errorText()).contains("Invalid parameter id value=" + ghost).contains("entity does not exist");
    assertThat(apiError(() -> client.call("queryAsyncJobResult", Map.of("jobid", ghost))).httpStatus()).isEqualTo(431);
  }

  @Test
  void deletingASecurityGroupInUseIs536() {
    String sg = client.call("createSecurityGroup", Map.of("name", "web-sg")).path("securitygroup").path("id").asText();
    var job = client.submit("deployVirtualMachine", Map.of("zoneid", zone, "serviceofferingid", small, "templateid", template,
        "securitygroupids", sg));
    client.await(job, WAIT);
    String vm = job.resourceId();
    CloudStackApiException e = apiError(() -> client.call("deleteSecurityGroup", Map.of("id", sg)));
    assertThat(e.httpStatus()).isEqualTo(536);
    assertThat(e.csErrorCode()).isEqualTo(4375);
    assertThat(e.errorText()).isEqualTo("Cannot delete group when it's in use by virtual machines");
    client.submitAndAwait("destroyVirtualMachine", Map.of("id", vm, "expunge", "true"), WAIT);
    assertThat(client.call("deleteSecurityGroup", Map.of("id", sg)).path("success").asBoolean()).isTrue();
  }

  @Test
  void exhaustedCapacityIs533() {
    try (CloudStackSimulator limited = CloudStackSimulator.start(SimulatorConfig.defaults().withCapacity(new Capacity(2, 3, null)));
        CloudStackClient client = SimulatorTesting.client(limited)) {
      exhaust(client);
    }
  }

  private static void exhaust(CloudStackClient client) {
    // Public IPs: 3 allowed; the fourth is refused at once (allocation happens before the job).
    String network = client.call("createNetwork", Map.of("name", "cap", "zoneid", zone, "networkofferingid",
        idOf(client, "listNetworkOfferings", Map.of(), "DefaultIsolatedNetworkOfferingWithSourceNatService")))
        .path("network").path("id").asText();
    for (int i = 0; i < 3; i++) {
      client.submitAndAwait("associateIpAddress", Map.of("networkid", network), WAIT);
    }
    CloudStackApiException ip = apiError(() -> client.submit("associateIpAddress", Map.of("networkid", network)));
    assertThat(ip.httpStatus()).isEqualTo(533);
    assertThat(ip.csErrorCode()).isEqualTo(4320);
    // VMs: 2 allowed; the third deployment's job fails with 533 and the VM ends in Error.
    Map<String, String> deploy = Map.of("zoneid", zone, "serviceofferingid", small, "templateid", template);
    String a = client.submit("deployVirtualMachine", deploy).resourceId();
    String b = client.submit("deployVirtualMachine", deploy).resourceId();
    var third = client.submit("deployVirtualMachine", deploy);
    assertThatThrownBy(() -> client.await(third, WAIT)).isInstanceOfSatisfying(AsyncJobFailedException.class,
        f -> assertThat(f.getMessage()).contains("533"));
    assertThat(client.list("listVirtualMachines", Map.of("id", third.resourceId())).get(0).path("state").asText()).isEqualTo("Error");
    for (String id : new String[] {a, b, third.resourceId()}) {
      client.submitAndAwait("destroyVirtualMachine", Map.of("id", id, "expunge", "true"), WAIT);
    }
  }

  @Test
  void requestsWithoutResponseJsonGetXmlAsCloudStackDefaults() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("command", "listZones");
    p.put("apiKey", sim.credentials().apiKey());
    p.put("signature", RequestSigner.sign(p, sim.credentials().secretKey()));
    SimulatorTesting.Raw raw = SimulatorTesting.raw(sim, false, p);
    assertThat(raw.status()).isEqualTo(200);
    assertThat(raw.text()).startsWith("<?xml").contains("<listzonesresponse").contains("<zone><id>");
  }

  @Test
  void userDataIsCheckedLikeCloudStack() {
    Map<String, String> deploy = new LinkedHashMap<>(Map.of("command", "deployVirtualMachine", "zoneid", zone,
        "serviceofferingid", small, "templateid", template));
    deploy.put("userdata", "not base64 !");
    SimulatorTesting.Raw notBase64 = SimulatorTesting.signed(sim, true, deploy);
    assertThat(notBase64.status()).isEqualTo(431);
    assertThat(notBase64.text()).contains("User data is not base64 encoded");
    deploy.put("userdata", Base64.getEncoder().encodeToString(new byte[4000]));
    SimulatorTesting.Raw tooLongForGet = SimulatorTesting.signed(sim, false, deploy);
    assertThat(tooLongForGet.status()).isEqualTo(431);
    assertThat(tooLongForGet.text()).contains("User data is too long for an http GET request");
    deploy.put("userdata", Base64.getEncoder().encodeToString(new byte[40_000]));
    SimulatorTesting.Raw overConfigured = SimulatorTesting.signed(sim, true, deploy);
    assertThat(overConfigured.status()).isEqualTo(431);
    assertThat(overConfigured.text()).contains("User data has exceeded configurable max length : 32768");
  }

  @Test
  void postCarriesUpToOneMegabyteOfUserDataWhenConfigured() {
    try (CloudStackSimulator big = CloudStackSimulator.start(SimulatorConfig.defaults().withUserDataMaxLength(1_048_576))) {
      Map<String, String> deploy = new LinkedHashMap<>(Map.of("command", "deployVirtualMachine", "zoneid", zone,
          "serviceofferingid", small, "templateid", template));
      deploy.put("userdata", Base64.getEncoder().encodeToString(new byte[700_000]));
      SimulatorTesting.Raw accepted = SimulatorTesting.signed(big, true, deploy);
      assertThat(accepted.status()).as(accepted.text()).isEqualTo(200);
      assertThat(accepted.body().path("deployvirtualmachineresponse").has("jobid")).isTrue();
      deploy.put("userdata", Base64.getEncoder().encodeToString(new byte[800_000]));
      SimulatorTesting.Raw refused = SimulatorTesting.signed(big, true, deploy);
      assertThat(refused.status()).isEqualTo(431);
      assertThat(refused.text()).contains("User data is too long for POST request");
    }
  }
}
