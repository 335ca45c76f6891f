package org.stacktician.engine.waitcondition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stacktician.engine.callback.CallbackRoutes;
import org.stacktician.engine.callback.CallbackServer;
import org.stacktician.engine.callback.UrlSigner;
import org.stacktician.engine.metadata.ListStackResourceReader;
import org.stacktician.engine.provider.ErrorCode;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.ProviderContext;
import org.stacktician.engine.provider.ResourceRequest;

/** Handles and conditions against the real listener: signals arrive over HTTP between polls. */
class WaitConditionHandlerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final byte[] key = "0123456789abcdef0123456789abcdef".getBytes();
  final InMemorySignalStore store = new InMemorySignalStore();
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  CallbackServer server;
  ProviderContext context;
  final WaitConditionHandleHandler handles = new WaitConditionHandleHandler();
  final WaitConditionHandler conditions = new WaitConditionHandler();

  static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @BeforeEach
  void start() {
    server = CallbackServer.start(CallbackServer.Config.loopback(),
        new CallbackRoutes(() -> key, store, new ListStackResourceReader(), null, null,
        CallbackRoutes.MetadataAccess.OPEN));
    context = ProviderContext.builder().clock(clock).signalStore(store).urlSigner(server.urlSigner(() -> key)).build()
        .withStack(new ResourceRequest.StackRef("stack-1", "lamp"), Map.of());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  ResourceRequest request(String logicalId, String type, ObjectNode props, ObjectNode callback) {
    return new ResourceRequest(context.stack(), logicalId, type, props, null, null, Map.of(), null, callback, context,
        ResourceRequest.Action.CREATE, false);
  }

  String handleUrl(String logicalId) {
    ProgressEvent e = handles.create(request(logicalId, WaitConditionProvider.HANDLE_TYPE, JSON.createObjectNode(), null));
    assertThat(e).isInstanceOf(ProgressEvent.Success.class);
    return ((ProgressEvent.Success) e).physicalId();
  }

  static void signal(String url, String body) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
        .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  ObjectNode props(String handle, Object timeout, Object count) {
    ObjectNode p = JSON.createObjectNode().put("Handle", handle);
    p.set("Timeout", JSON.valueToTree(timeout));
    if (count != null) {
      p.set("Count", JSON.valueToTree(count));
    }
    return p;
  }

  @Test
  void handleRefIsASignedUrlOfTheListener() {
    String url = handleUrl("WaitHandle");
    assertThat(url).startsWith(server.advertisedUrl() + "waitcondition/stack-1/WaitHandle?signature=");
    assertThat(url).isNotEqualTo(handleUrl("OtherHandle"));
  }

  @Test
  void succeedsAfterCountSignalsAndExposesData() throws Exception {
    String url = handleUrl("WaitHandle");
    ObjectNode p = props(url, "300", "2");
    ProgressEvent e = conditions.create(request("Wait", WaitConditionProvider.CONDITION_TYPE, p, null));
    assertThat(e).isInstanceOf(ProgressEvent.InProgress.class);
    ProgressEvent.InProgress ip = (ProgressEvent.InProgress) e;
    assertThat(ip.delay()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(5));

    signal(url, "{\"Status\":\"SUCCESS\",\"Reason\":\"r\",\"UniqueId\":\"web1\",\"Data\":\"step 1\"}");
    e = conditions.create(request("Wait", WaitConditionProvider.CONDITION_TYPE, p, ip.callbackContext()));
    assertThat(e).isInstanceOf(ProgressEvent.InProgress.class);
    ip = (ProgressEvent.InProgress) e;
    assertThat(ip.message()).contains("1 more signal");

    signal(url, "{\"Status\":\"SUCCESS\",\"Reason\":\"r\",\"UniqueId\":\"web2\",\"Data\":\"step 2\"}");
    e = conditions.create(request("Wait", WaitConditionProvider.CONDITION_TYPE, p, ip.callbackContext()));
    assertThat(e).isInstanceOf(ProgressEvent.Success.class);
    ProgressEvent.Success s = (ProgressEvent.Success) e;
    assertThat(JSON.readTree(s.attributes().get("Data").asText()))
        .isEqualTo(JSON.readTree("{\"web1\":\"step 1\",\"web2\":\"step 2\"}"));
  }

  @Test
  void aFailureSignalFailsTheConditionWithItsReason() throws Exception {
    String url = handleUrl("WaitHandle");
    ObjectNode p = props(url, 600, null);
    ProgressEvent.InProgress ip = (ProgressEvent.InProgress) conditions.create(
        request("Wait", WaitConditionProvider.CONDITION_TYPE, p, null));
    signal(url, "{\"Status\":\"FAILURE\",\"Reason\":\"httpd did not start\",\"UniqueId\":\"web1\",\"Data\":\"\"}");
    ProgressEvent e = conditions.create(request("Wait", WaitConditionProvider.CONDITION_TYPE, p, ip.callbackContext()));
    assertThat(e).isInstanceOf(ProgressEvent.Failed.class);
    ProgressEvent.Failed f = (ProgressEvent.Failed) e;
    assertThat(f.code()).isEqualTo(ErrorCode.SIGNAL_FAILURE);
    assertThat(f.message()).isEqualTo("WaitCondition received failed message: 'httpd did not start' for uniqueId: web1");
  }

  @Test
  void timesOutAfterTimeoutSeconds() {
    String url = handleUrl("WaitHandle");
    ObjectNode p = props(url, "60", null);
    ProgressEvent.InProgress ip = (ProgressEvent.InProgress) conditions.create(
        request("Wait", WaitConditionProvider.CONDITION_TYPE, p, null));
    clock.now = clock.now.plusSeconds(59);
    ip = (ProgressEvent.InProgress) conditions.create(request("Wait", WaitConditionProvider.CONDITION_TYPE, p, ip.callbackContext()));
    assertThat(ip.delay()).isLessThanOrEqualTo(Duration.ofSeconds(1));
    clock.now = clock.now.plusSeconds(1);
    ProgressEvent e = conditions.create(request("Wait", WaitConditionProvider.CONDITION_TYPE, p, ip.callbackContext()));
    assertThat(e).isInstanceOfSatisfying(ProgressEvent.Failed.class, f -> {
      assertThat(f.code()).isEqualTo(ErrorCode.TIMEOUT);
      assertThat(f.message()).isEqualTo("WaitCondition timed out. Received 0 conditions when expecting 1");
    });
  }

  @Test
  void badPropertiesAreRejectedNamingTheProperty() {
    assertThat(conditions.validate(JSON.createObjectNode()))
        .extracting(org.stacktician.engine.provider.PropertyError::property).containsExactly("Handle", "Timeout");
    assertThat(conditions.validate(props("x", "50000", "0"))).map(Object::toString)
        .containsExactly("property 'Timeout' must be a number of seconds from 1 to 43200, got \"50000\"",
            "property 'Count' must be a positive integer, got \"0\"");
    ObjectNode unresolved = JSON.createObjectNode();
    unresolved.set("Handle", JSON.createObjectNode().put("Ref", "WaitHandle"));
    unresolved.set("Timeout", JSON.createObjectNode().put("Ref", "Timeout"));
    assertThat(conditions.validate(unresolved)).isEmpty();

    String forged = handleUrl("WaitHandle").replace("signature=", "signature=x");
    ProgressEvent e = conditions.create(request("Wait", WaitConditionProvider.CONDITION_TYPE, props(forged, "60", null), null));
    assertThat(e).isInstanceOfSatisfying(ProgressEvent.Failed.class, f -> {
      assertThat(f.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
      assertThat(f.message()).contains("'Handle' is not a wait condition handle URL");
    });
  }

  @Test
  void urlsStayValidWhenTheAdvertisedAddressChanges() {
    String url = handleUrl("WaitHandle");
    UrlSigner elsewhere = new UrlSigner(() -> key, URI.create("http://10.0.0.9:9999/"));
    assertThat(elsewhere.verifiedSegments(UrlSigner.WAIT_CONDITION, url)).contains(java.util.List.of("stack-1", "WaitHandle"));
    UrlSigner otherKey = new UrlSigner(() -> "ffffffffffffffffffffffffffffffff".getBytes(), server.advertisedUrl());
    assertThat(otherKey.verifiedSegments(UrlSigner.WAIT_CONDITION, url)).isEmpty();
  }
}
