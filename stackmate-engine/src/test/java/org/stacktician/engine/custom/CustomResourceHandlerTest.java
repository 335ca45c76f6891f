package org.stacktician.engine.custom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stacktician.engine.testing.SimulatedCloud.drive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stacktician.engine.callback.CallbackRoutes;
import org.stacktician.engine.callback.CallbackServer;
import org.stacktician.engine.metadata.ListStackResourceReader;
import org.stacktician.engine.provider.ErrorCode;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.ProviderContext;
import org.stacktician.engine.provider.ResourceRequest;
import org.stacktician.engine.waitcondition.InMemorySignalStore;

/**
 * Custom resources against a real loopback custom-resource service that answers by PUTting to
 * the signed ResponseURL, as a CloudFormation custom resource would.
 */
class CustomResourceHandlerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final byte[] key = "0123456789abcdef0123456789abcdef".getBytes();
  final InMemorySignalStore store = new InMemorySignalStore();
  final List<JsonNode> received = new CopyOnWriteArrayList<>();
  final CustomResourceHandler handler = new CustomResourceHandler();
  CallbackServer listener;
  HttpServer service;
  ProviderContext context;
  Clock clock = Clock.systemUTC();

  @BeforeEach
  void start() throws Exception {
    listener = CallbackServer.start(CallbackServer.Config.loopback(),
        new CallbackRoutes(() -> key, store, new ListStackResourceReader(), null, null,
        CallbackRoutes.MetadataAccess.OPEN));
    service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    service.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    service.createContext("/", exchange -> {
      JsonNode request = JSON.readTree(exchange.getRequestBody());
      received.add(request);
      String behaviour = request.at("/ResourceProperties/Behaviour").asText("succeed");
      exchange.sendResponseHeaders(behaviour.equals("reject") ? 500 : 200, -1);
      exchange.close();
      if (behaviour.equals("silent") || behaviour.equals("reject")) {
        return;
      }
      ObjectNode answer = JSON.createObjectNode();
      answer.put("Status", behaviour.equals("fail") ? "FAILED" : "SUCCESS");
      answer.put("Reason", behaviour.equals("fail") ? "bucket name taken" : "ok");
      answer.put("PhysicalResourceId", "thing-" + request.at("/ResourceProperties/Name").asText());
      answer.put("StackId", request.get("StackId").asText());
      answer.put("RequestId", request.get("RequestId").asText());
      answer.put("LogicalResourceId", request.get("LogicalResourceId").asText());
      if (behaviour.equals("secret")) {
        answer.put("NoEcho", true);
      }
      answer.putObject("Data").put("Answer", "42").put("Echo", request.at("/ResourceProperties/Name").asText());
      try {
        HttpResponse<String> put = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create(request.get("ResponseURL").asText()))
                .PUT(HttpRequest.BodyPublishers.ofString(answer.toString())).build(),
            HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() != 200) {
          throw new IllegalStateException("response PUT answered " + put.statusCode() + ": " + put.body());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    service.start();
    context = ProviderContext.builder().signalStore(store).urlSigner(listener.urlSigner(() -> key)).build()
        .withStack(new ResourceRequest.StackRef("stack/cr/1", "cr"), Map.of());
  }

  @AfterEach
  void stop() {
    service.stop(0);
    listener.close();
  }

  String serviceUrl() {
    return "http://127.0.0.1:" + service.getAddress().getPort() + "/provision";
  }

  ObjectNode props(String behaviour) {
    return JSON.createObjectNode().put("ServiceToken", serviceUrl()).put("Name", "alpha").put("Behaviour", behaviour);
  }

  ResourceRequest request(ObjectNode props, String physicalId, ObjectNode ctx) {
    return new ResourceRequest(context.stack(), "Thing", "Custom::Thing", props, null, physicalId, Map.of(), null, ctx,
        ProviderContext.builder().signalStore(store).urlSigner(listener.urlSigner(() -> key)).clock(clock).build()
            .withStack(context.stack(), Map.of()),
        physicalId == null ? ResourceRequest.Action.CREATE : ResourceRequest.Action.DELETE, false);
  }

  @Test
  void createSendsCloudFormationsRequestAndReadsTheAnswer() throws Exception {
    ProgressEvent e = drive(ctx -> handler.create(request(props("succeed"), null, ctx)));
    assertThat(e).isInstanceOfSatisfying(ProgressEvent.Success.class, s -> {
      assertThat(s.physicalId()).isEqualTo("thing-alpha");
      assertThat(s.attributes().get("Answer").asText()).isEqualTo("42");
      assertThat(s.attributes().get("Echo").asText()).isEqualTo("alpha");
    });
    JsonNode request = received.get(0);
    assertThat(request.get("RequestType").asText()).isEqualTo("Create");
    assertThat(request.get("StackId").asText()).isEqualTo("stack/cr/1");
    assertThat(request.get("ResourceType").asText()).isEqualTo("Custom::Thing");
    assertThat(request.get("LogicalResourceId").asText()).isEqualTo("Thing");
    assertThat(request.get("RequestId").asText()).isNotBlank();
    assertThat(request.has("PhysicalResourceId")).isFalse();
    assertThat(request.at("/ResourceProperties/ServiceToken").asText()).isEqualTo(serviceUrl());
    assertThat(request.get("ResponseURL").asText()).startsWith(listener.advertisedUrl() + "custom-resource/")
        .contains("signature=");

    ProgressEvent d = drive(ctx -> handler.delete(request(props("succeed"), "thing-alpha", ctx)));
    assertThat(d).isInstanceOf(ProgressEvent.Success.class);
    JsonNode delete = received.get(1);
    assertThat(delete.get("RequestType").asText()).isEqualTo("Delete");
    assertThat(delete.get("PhysicalResourceId").asText()).isEqualTo("thing-alpha");
    assertThat(delete.get("RequestId").asText()).isNotEqualTo(request.get("RequestId").asText());
  }

  @Test
  void noEchoAnswersAreMarkedForMasking() {
    ProgressEvent e = drive(ctx -> handler.create(request(props("secret"), null, ctx)));
    assertThat(e).isInstanceOfSatisfying(ProgressEvent.Success.class, s -> {
      assertThat(s.attributes().get(CustomResourceHandler.NO_ECHO_ATTRIBUTE).asBoolean()).isTrue();
      assertThat(s.attributes().get("Answer").asText()).isEqualTo("42");
    });
    ProgressEvent plain = drive(ctx -> handler.create(request(props("succeed"), null, ctx)));
    assertThat(((ProgressEvent.Success) plain).attributes()).doesNotContainKey(CustomResourceHandler.NO_ECHO_ATTRIBUTE);
  }

  @Test
  void aFailedAnswerFailsWithTheServicesReason() throws Exception {
    ProgressEvent e = drive(ctx -> handler.create(request(props("fail"), null, ctx)));
    assertThat(e).isInstanceOfSatisfying(ProgressEvent.Failed.class, f -> {
      assertThat(f.code()).isEqualTo(ErrorCode.SIGNAL_FAILURE);
      assertThat(f.message()).isEqualTo(
          "Received response status [FAILED] from custom resource. Message returned: bucket name taken");
    });
  }

  @Test
  void timesOutWhenTheServiceNeverAnswers() throws Exception {
    ObjectNode p = props("silent").put("ServiceTimeout", "1");
    ProgressEvent e = drive(ctx -> handler.create(request(p, null, ctx)));
    assertThat(e).isInstanceOfSatisfying(ProgressEvent.Failed.class, f -> {
      assertThat(f.code()).isEqualTo(ErrorCode.TIMEOUT);
      assertThat(f.message()).contains("Failed to receive a response from the custom resource service http://127.0.0.1:")
          .contains("within 1 seconds");
    });
  }

  @Test
  void anUnreachableOrRefusingServiceFailsAfterRetries() throws Exception {
    ObjectNode p = props("reject");
    ProgressEvent e = handler.create(request(p, null, null));
    assertThat(e).isInstanceOfSatisfying(ProgressEvent.InProgress.class,
        ip -> assertThat(ip.message()).contains("answered HTTP 500").contains("retrying"));
    ObjectNode ctx = ((ProgressEvent.InProgress) e).callbackContext();
    e = handler.create(request(p, null, ctx));
    ctx = ((ProgressEvent.InProgress) e).callbackContext();
    e = handler.create(request(p, null, ctx));
    assertThat(e).isInstanceOfSatisfying(ProgressEvent.Failed.class, f -> {
      assertThat(f.code()).isEqualTo(ErrorCode.NETWORK_FAILURE);
      assertThat(f.message()).contains("Thing: could not send the Create request").contains("after 3 attempts");
    });
    assertThat(received).hasSize(3);
  }

  @Test
  void propertiesAreCheckedBeforeAnyCall() {
    assertThat(handler.validate(JSON.createObjectNode())).map(Object::toString)
        .containsExactly("property 'ServiceToken' is required (the http(s) URL of the custom resource service)");
    assertThat(handler.validate(JSON.createObjectNode().put("ServiceToken", "arn:aws:lambda:x")))
        .map(Object::toString).containsExactly("property 'ServiceToken' must be an http(s) URL, got 'arn:aws:lambda:x'");
    ProgressEvent e = handler.create(request(JSON.createObjectNode().put("ServiceToken", "ftp://x/"), null, null));
    assertThat(e).isInstanceOf(ProgressEvent.Failed.class);
    assertThat(received).isEmpty();
  }

  @Test
  void forgedResponsesAreRefused() throws Exception {
    ProgressEvent e = handler.create(request(props("silent"), null, null));
    ObjectNode ctx = ((ProgressEvent.InProgress) e).callbackContext();
    while (received.isEmpty()) {
      Thread.sleep(10);
    }
    String url = received.get(0).get("ResponseURL").asText();
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url.replace("Thing", "Other")))
        .PUT(HttpRequest.BodyPublishers.ofString("{\"Status\":\"SUCCESS\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(403);
    r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
        .PUT(HttpRequest.BodyPublishers.ofString("{\"Status\":\"SUCCESS\",\"RequestId\":\"other\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("RequestId 'other' does not match");
    assertThat(handler.create(request(props("silent"), null, ctx))).isInstanceOf(ProgressEvent.InProgress.class);
  }
}
