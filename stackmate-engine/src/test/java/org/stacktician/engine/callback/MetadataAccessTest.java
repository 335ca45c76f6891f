package org.stacktician.engine.callback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.engine.metadata.ListStackResourceReader;
import org.stacktician.engine.metadata.StackResourceView;
import org.stacktician.testing.HeatCfnTools;
import org.stacktician.engine.waitcondition.InMemorySignalStore;

/** Metadata readable only with the stack's own credential (ORIGINALS.md gap 7). */
class MetadataAccessTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final byte[] KEY = "k-0123456789abcdef0123456789abcdef".getBytes();
  static CallbackServer server;
  static UrlSigner signer;

  @BeforeAll
  static void start() throws Exception {
    ListStackResourceReader reader = new ListStackResourceReader();
    for (String stack : new String[] {"alpha", "beta"}) {
      reader.add(new StackResourceView("id-" + stack, stack, "Db", "vm-" + stack, "CloudStack::VirtualMachine",
          "CREATE_COMPLETE", null, JSON.readTree("{\"password\":\"secret-of-" + stack + "\"}"), null, Instant.now(), null));
    }
    server = CallbackServer.start(CallbackServer.Config.loopback(), new CallbackRoutes(() -> KEY,
        new InMemorySignalStore(), reader, null, null, CallbackRoutes.MetadataAccess.STACK_CREDENTIALS));
    signer = server.urlSigner(() -> KEY);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> get(String url, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withoutTheStacksCredentialNothingIsShown() throws Exception {
    HttpResponse<String> r = get(server.advertisedUrl() + "?Action=DescribeStackResource&StackName=alpha&LogicalResourceId=Db&ContentType=JSON");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("AccessDenied").doesNotContain("secret");
    r = get(server.advertisedUrl() + "metadata/alpha/Db");
    assertThat(r.statusCode()).isEqualTo(403);
    // beta's key does not open alpha.
    r = get(server.advertisedUrl() + "?Action=DescribeStackResource&StackName=alpha&LogicalResourceId=Db&ContentType=JSON",
        "Authorization", "AWS4-HMAC-SHA256 Credential=" + signer.metadataAccessKey("id-beta") + "/20260101/z/cloudformation/aws4_request, SignedHeaders=host, Signature=x");
    assertThat(r.statusCode()).isEqualTo(403);
  }

  @Test
  void theStacksUrlOpensItsOwnMetadataOnly() throws Exception {
    String url = signer.metadataUrl("id-alpha").toString();
    assertThat(url).startsWith(server.advertisedUrl() + "metadata-api/id-alpha/").endsWith("/");
    HttpResponse<String> r = get(url + "?Action=DescribeStackResource&StackName=alpha&LogicalResourceId=Db&ContentType=JSON");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode detail = JSON.readTree(r.body()).at("/DescribeStackResourceResponse/DescribeStackResourceResult/StackResourceDetail");
    assertThat(detail.get("Metadata").asText()).contains("secret-of-alpha");
    r = get(url + "?Action=DescribeStackResource&StackName=beta&LogicalResourceId=Db&ContentType=JSON");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("Stack with id beta does not exist").doesNotContain("secret");
    r = get(url.replace("id-alpha", "id-beta") + "?Action=DescribeStackResource&StackName=beta&LogicalResourceId=Db");
    assertThat(r.statusCode()).isEqualTo(403);
  }

  @Test
  void realCfnGetMetadataWorksWithTheStacksAccessKeyOnly(@TempDir Path dir) throws Exception {
    try (HeatCfnTools tools = HeatCfnTools.pointAt(server.advertisedUrl(), dir)) {
      String out = tools.run("cfn-get-metadata", "-s", "alpha", "-r", "Db",
          "--access-key", signer.metadataAccessKey("id-alpha"), "--secret-key", "anything");
      assertThat(JSON.readTree(HeatCfnTools.json(out)).get("password").asText()).isEqualTo("secret-of-alpha");
      HeatCfnTools.Result denied = tools.attempt("cfn-get-metadata", "-s", "alpha", "-r", "Db",
          "--access-key", "guessed", "--secret-key", "anything");
      assertThat(denied.output()).doesNotContain("secret-of-alpha").contains("403");
    }
  }
}
