package org.stacktician.bench.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.client.Credentials;
import org.stacktician.cloudstack.client.envelope.ResponseEnvelope;
import org.stacktician.cloudstack.client.signing.RequestSigner;

/**
 * What the CloudStack client costs per request, side by side: signing a typical
 * deployVirtualMachine, reading a 20-VM list envelope, and a whole signed call over loopback HTTP
 * to a minimal JDK server (so the client's share of a request can be read as a ratio).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ClientOverheadBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Map<String, String> deployParams;
  private byte[] listBody;
  private HttpServer server;
  private ExecutorService executor;
  private CloudStackClient client;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    deployParams = new LinkedHashMap<>();
    deployParams.put("command", "deployVirtualMachine");
    deployParams.put("response", "json");
    deployParams.put("apiKey", "bench-api-key");
    deployParams.put("signatureVersion", "3");
    deployParams.put("expires", "2030-01-01T00:00:00+0000");
    deployParams.put("zoneid", "1d8d87d4-1425-459c-8d81-c6f57dca2bd2");
    deployParams.put("serviceofferingid", "498ce071-a077-4237-9492-e55c42553327");
    deployParams.put("templateid", "50459b99-6a1d-4c56-8d10-a5f46aa3f1d7");
    deployParams.put("displayname", "web server 1");
    deployParams.put("networkids", "a,b");
    deployParams.put("tags[0].key", "stacktician:stack-name");
    deployParams.put("tags[0].value", "demo");
    deployParams.put("userdata", "I2Nsb3VkLWNvbmZpZwpwYWNrYWdlczogW25naW54XQo=");

    StringBuilder vms = new StringBuilder("{\"listvirtualmachinesresponse\":{\"count\":20,\"virtualmachine\":[");
    for (int i = 0; i < 20; i++) {
      vms.append(i == 0 ? "" : ",").append("{\"id\":\"vm-").append(i)
          .append("\",\"name\":\"web-").append(i).append("\",\"state\":\"Running\",\"zoneid\":\"z\",")
          .append("\"nic\":[{\"id\":\"n\",\"ipaddress\":\"10.0.0.").append(i).append("\",\"isdefault\":true}],")
          .append("\"tags\":[{\"key\":\"k\",\"value\":\"v\"}],\"cpunumber\":1,\"memory\":512}");
    }
    listBody = vms.append("]}}").toString().getBytes(StandardCharsets.UTF_8);

    byte[] zones = "{\"listzonesresponse\":{\"count\":1,\"zone\":[{\"id\":\"z\",\"name\":\"Bench\"}]}}"
        .getBytes(StandardCharsets.UTF_8);
    executor = Executors.newFixedThreadPool(2);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/client/api", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, zones.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(zones);
      }
    });
    server.start();
    client = CloudStackClient.builder()
        .endpoint(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/client/api"))
        .credentials(new Credentials("bench-api-key", "bench-secret-key"))
        .build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    client.close();
    server.stop(0);
    executor.shutdownNow();
  }

  /** Signing a 13-parameter deployVirtualMachine (string to sign + HMAC-SHA1 + Base64). */
  @Benchmark
  public String signDeployRequest() {
    return RequestSigner.sign(deployParams, "bench-secret-key");
  }

  /** Parsing a 20-VM list answer and taking its items by rule. */
  @Benchmark
  public List<JsonNode> readListEnvelope() throws IOException {
    return ResponseEnvelope.listItems(ResponseEnvelope.unwrap(JSON.readTree(listBody)).orElseThrow());
  }

  /** A whole signed GET over loopback keep-alive to a minimal server, answer parsed. */
  @Benchmark
  public List<JsonNode> signedCallOverLoopback() {
    return client.list("listZones", Map.of());
  }
}
