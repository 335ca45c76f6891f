package org.stacktician.cli.types;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cli.CliRun;
import org.stacktician.cloudstack.client.signing.RequestSigner;
import org.stacktician.testing.SharedFiles;

class TypesCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private static CliRun run(String... args) {
    return CliRun.stackmate(args);
  }

  private static String dump418() {
    return SharedFiles.resolve("cloudstack/listApis-4.18.json").toString();
  }

  @Test
  void listsEveryTypeWithPropertiesAndAttributes() {
    CliRun r = run("types", "--catalog", dump418());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("128 resource types from " + dump418() + " (CloudStack 4.18.0.0, 705 APIs); 453 APIs");
    assertThat(r.out()).contains("CloudStack::VirtualMachine\n", "CloudStack::SecurityGroupIngress\n",
        "CloudStack::StaticNat\n", "  create:      deployVirtualMachine (async)",
        "  delete:      deleteSSHKeyPair with name <- name");
    assertThat(r.out().lines().filter(l -> l.startsWith("CloudStack::"))).hasSize(128);
    assertThat(r.out()).containsPattern("    serviceofferingid +uuid +required +the ID of the service offering");
  }

  @Test
  void showsOneTypeByName() {
    CliRun r = run("types", "--catalog", dump418(), "CloudStack::VirtualMachine");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("CloudStack::VirtualMachine\n")
        .contains("delete:      destroyVirtualMachine (async) with id <- id", "result key:  virtualmachine",
            "tags:        yes (resourcetype UserVm)", "properties (", ", 3 required):", "attributes (")
        .doesNotContain("CloudStack::SecurityGroup");
    assertThat(run("types", "--catalog", dump418(), "sshkeypair").out()).startsWith("CloudStack::SSHKeyPair\n");
  }

  @Test
  void eachPropertySaysHowAChangeIsApplied() throws IOException {
    CliRun r = run("types", "--catalog", dump418(), "CloudStack::VirtualMachine");
    assertThat(r.out()).containsPattern("    displayname +string +optional +[^\n]*\n      update: some interruption via "
            + "stopVirtualMachine, updateVirtualMachine, startVirtualMachine\n")
        .containsPattern("    zoneid +uuid +required +[^\n]*\n      update: replacement\n")
        .containsPattern("    name +string +optional +[^\n]*\n      update: some interruption via stopVirtualMachine, "
            + "updateVirtualMachine, startVirtualMachine; unique name: a replacement must change it\n")
        .contains("    tags                         update: no interruption via createTags, deleteTags\n");
    assertThat(run("types", "--catalog", dump418(), "CloudStack::Network").out())
        .containsPattern("    displaytext +string +[^\n]*\n      update: no interruption via updateNetwork\n");
    JsonNode vm = JSON.readTree(run("types", "--catalog", dump418(), "CloudStack::VirtualMachine", "-o", "json")
        .out()).path("types").get(0);
    assertThat(vm.path("updateApis").toString()).contains("\"updateVirtualMachine\"", "\"scaleVirtualMachine\"",
        "\"changeServiceForVirtualMachine\"", "\"updateVMAffinityGroup\"");
    JsonNode offering = null;
    for (JsonNode p : vm.path("properties")) {
      if (p.path("name").asText().equals("serviceofferingid")) {
        offering = p;
      }
    }
    assertThat(offering).isNotNull();
    assertThat(offering.path("update").path("behavior").asText()).isEqualTo("SOME_INTERRUPTION");
    assertThat(offering.path("update").path("calls").toString())
        .isEqualTo("[\"stopVirtualMachine\",\"scaleVirtualMachine\",\"startVirtualMachine\"]");
    assertThat(offering.path("update").path("note").asText()).isEqualTo("no interruption when the VM is dynamically scalable");
    assertThat(offering.path("uniqueName").asBoolean()).isFalse();
  }

  @Test
  void builtInAndAwsTypesShowTheirDeclaredUpdatesWithoutACatalog() throws IOException {
    CliRun instance = run("types", "AWS::EC2::Instance");
    assertThat(instance.exit()).as(instance.err()).isZero();
    assertThat(instance.out()).startsWith("AWS::EC2::Instance\n  provider:    aws-compatibility\n")
        .contains("    Tags                         update: no interruption via createTags, deleteTags\n")
        .contains("    (any other property)         update: replacement\n");
    JsonNode group = JSON.readTree(run("types", "AWS::EC2::SecurityGroup", "-o", "json").out());
    assertThat(group.at("/updates/SecurityGroupIngress/text").asText()).isEqualTo("no interruption via "
        + "authorizeSecurityGroupIngress, revokeSecurityGroupIngress (only the rules that differ)");
    assertThat(group.path("uniqueNames").toString()).isEqualTo("[\"GroupName\"]");
    assertThat(run("types", "AWS::CloudFormation::WaitCondition").out()).contains("update: replacement (CloudFormation "
        + "does not update wait conditions; give the new one a new handle)");
    assertThat(run("types", "Custom::Anything").out()).contains("ServiceToken", "(any other property)         "
        + "update: no interruption via Update request");
    assertThat(run("types", "AWS::CloudFormation::Stack").out()).contains("(any other property)         "
        + "update: no interruption via UpdateStack");
    CliRun unknown = run("types", "AWS::S3::Bucket");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("unknown resource type 'AWS::S3::Bucket': not a built-in type (", "AWS::EC2::Instance",
        "give --catalog or --endpoint for the CloudStack:: types");
  }

  @Test
  void jsonOutput() throws IOException {
    CliRun r = run("types", "--catalog", dump418(), "--output", "json", "--excluded");
    assertThat(r.exit()).isZero();
    JsonNode root = JSON.readTree(r.out());
    assertThat(root.path("typeCount").asInt()).isEqualTo(128);
    assertThat(root.path("types")).hasSize(128);
    assertThat(root.path("excluded")).hasSize(453);
    JsonNode vm = null;
    for (JsonNode t : root.path("types")) {
      if (t.path("type").asText().equals("CloudStack::VirtualMachine")) {
        vm = t;
      }
    }
    assertThat(vm).isNotNull();
    assertThat(vm.path("createApi").asText()).isEqualTo("deployVirtualMachine");
    assertThat(vm.path("tagResourceType").asText()).isEqualTo("UserVm");
    List<String> required = vm.path("properties").findParents("required").stream()
        .filter(p -> p.path("required").asBoolean()).map(p -> p.path("name").asText()).toList();
    assertThat(required).containsExactly("serviceofferingid", "templateid", "zoneid");

    JsonNode one = JSON.readTree(run("types", "--catalog", dump418(), "-o", "json", "CloudStack::StaticNat").out());
    assertThat(one.path("types")).singleElement().satisfies(t -> {
      assertThat(t.path("deleteApi").asText()).isEqualTo("disableStaticNat");
      assertThat(t.path("responseObjectKey").isNull()).isTrue();
    });
  }

  @Test
  void the411DumpGivesItsOwnCount() {
    CliRun r = run("types", "--catalog", SharedFiles.resolve("cloudstack/listApis-4.11.json").toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("113 resource types");
  }

  @Test
  void unknownTypeSuggestsCloseMatches() {
    CliRun r = run("types", "--catalog", dump418(), "CloudStack::VirtualMachin");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("unknown resource type 'CloudStack::VirtualMachin'", "did you mean CloudStack::VirtualMachine");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void badInputGivesClearErrors() throws IOException {
    CliRun missing = run("types", "--catalog", tmp.resolve("nope.json").toString());
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("listApis file not found");
    Path junk = Files.writeString(tmp.resolve("junk.json"), "[1,2");
    assertThat(run("types", "--catalog", junk.toString()).err()).contains("not valid JSON");
    CliRun none = run("types");
    assertThat(none.exit()).isEqualTo(2);
    CliRun noKeys = run("types", "--endpoint", "http://127.0.0.1:1/client/api", "--api-key", "", "--secret-key", "");
    assertThat(noKeys.exit()).isEqualTo(2);
    assertThat(noKeys.err()).contains("--endpoint needs --api-key and --secret-key");
  }

  @Test
  void readsALiveEndpointAndCachesItsCatalog() throws IOException {
    String body = "{\"listapisresponse\":" + Files.readString(SharedFiles.resolve("cloudstack/listApis-4.18.json")) + "}";
    AtomicInteger listApisCalls = new AtomicInteger();
    HttpServer server = signedServer(Map.of(
        "listApis", body,
        "listCapabilities", "{\"listcapabilitiesresponse\":{\"capability\":{\"cloudstackversion\":\"4.18.1.0\"}}}"),
        listApisCalls);
    try {
      String endpoint = "http://127.0.0.1:" + server.getAddress().getPort() + "/client/api";
      String[] args = {"types", "--endpoint", endpoint, "--api-key", "key", "--secret-key", "secret",
          "--cache-dir", tmp.resolve("cache").toString(), "CloudStack::VirtualMachine"};
      CliRun first = run(args);
      assertThat(first.exit()).as(first.err()).isZero();
      assertThat(first.out()).startsWith("CloudStack::VirtualMachine\n");
      assertThat(run(args).exit()).isZero();
      assertThat(listApisCalls).hasValue(1); // the second run read the cache

      CliRun wrongKeys = run("types", "--endpoint", endpoint, "--api-key", "key", "--secret-key", "wrong", "--no-cache");
      assertThat(wrongKeys.exit()).isEqualTo(1);
      assertThat(wrongKeys.err()).contains("HTTP 401", "check the API key and secret key").doesNotContain("wrong");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void anUnreachableEndpointIsAClearError() throws IOException {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    CliRun r = run("types", "--endpoint", "http://127.0.0.1:" + port + "/client/api", "--api-key", "k",
        "--secret-key", "s", "--no-cache");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("cannot reach CloudStack endpoint", "connection refused");
  }

  /** A loopback endpoint that verifies signatures (key "key", secret "secret") and answers canned bodies. */
  private static HttpServer signedServer(Map<String, String> bodies, AtomicInteger listApisCalls) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/client/api", exchange -> {
      Map<String, String> params = new TreeMap<>();
      String query = exchange.getRequestURI().getRawQuery();
      String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      for (String raw : List.of(query == null ? "" : query, form)) {
        for (String pair : raw.split("&")) {
          if (!pair.isEmpty()) {
            int eq = pair.indexOf('=');
            params.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
          }
        }
      }
      String signature = params.remove("signature");
      String command = params.get("command");
      boolean ok = "key".equals(params.get("apiKey")) && RequestSigner.verify(params, signature, "secret");
      if ("listApis".equals(command) && ok) {
        listApisCalls.incrementAndGet();
      }
      String answer = ok ? bodies.get(command)
          : "{\"" + command.toLowerCase() + "response\":{\"uuidList\":[],\"errorcode\":401,"
              + "\"errortext\":\"unable to verify user credentials and/or request signature\"}}";
      byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
      exchange.sendResponseHeaders(ok ? 200 : 401, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
    return server;
  }
}
