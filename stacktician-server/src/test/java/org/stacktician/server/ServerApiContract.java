package org.stacktician.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cloudstack.client.Credentials;
import org.stacktician.server.ApiClient.Answer;
import org.stacktician.server.config.ServerConfig;
import org.stacktician.server.demo.DemoSetup;

/**
 * The REST API over real HTTP on loopback against a real server process's database (H2 or
 * PostgreSQL, by subclass): authentication, each route's success and error statuses, user
 * isolation, and secrets kept sealed in the database.
 */
abstract class ServerApiContract {
  static final String VALID = """
      {"Description": "one wait handle",
       "Resources": {"Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
       "Outputs": {"Url": {"Value": {"Ref": "Handle"}}}}
      """;
  static final String INVALID = """
      Resources:
        Handle:
          Type: AWS::CloudFormation::WaitConditionHandle
      Outputs:
        Url:
          Value: {"Ref": "Nowhere"}
      """;

  static final String SECURITY_GROUP = """
      {"Parameters": {"Secret": {"Type": "String", "NoEcho": true, "Default": "unset"}},
       "Resources": {"Sg": {"Type": "CloudStack::SecurityGroup",
                            "Properties": {"name": {"Fn::Sub": "${AWS::StackName}-sg"}}}},
       "Outputs": {"SgId": {"Value": {"Ref": "Sg"}}, "Hidden": {"Value": {"Ref": "Secret"}}}}
      """;

  @TempDir Path dataDir;
  StackticianServer server;
  ApiClient demo;
  DemoSetup.Credentials demoCreds;

  /** The configuration of the server under test (its database). */
  abstract ServerConfig config(Path dataDir);

  @BeforeEach
  void startServer() {
    server = StackticianServer.start(config(dataDir));
    demoCreds = server.printedCredentials().orElseThrow();
    demo = ApiClient.signed(server.api(), demoCreds.accessKeyId(), demoCreds.secretAccessKey());
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /** A new ordinary user through the admin API, with a signed client of theirs. */
  ApiClient newUser(String name) {
    Answer made = demo.post("/users", Map.of("name", name, "password", "correct horse battery"));
    assertThat(made.status()).as(made.text()).isEqualTo(201);
    assertThat(made.body().path("admin").asBoolean()).isFalse();
    JsonNode key = made.body().path("accessKey");
    return ApiClient.signed(server.api(), key.path("accessKeyId").asText(), key.path("secretAccessKey").asText());
  }

  /** A new ordinary user with a cloud account "mine" in the demo cloud. */
  ApiClient newUserWithCloud(String name) {
    ApiClient user = newUser(name);
    Answer account = user.post("/cloud-accounts", cloudAccount("mine"));
    assertThat(account.status()).as(account.text()).isEqualTo(201);
    return user;
  }

  Credentials simulatorCredentials() {
    return server.simulator().orElseThrow().credentials();
  }

  Map<String, Object> cloudAccount(String name) {
    return Map.of("name", name, "endpoint", server.simulator().orElseThrow().endpoint().toString(),
        "apiKey", simulatorCredentials().apiKey(), "secretKey", simulatorCredentials().secretKey());
  }

  @Test
  void everyCallNeedsAValidActiveKey() {
    assertThat(ApiClient.anonymous(server.api()).get("/openapi.json").status()).isEqualTo(200);
    Answer none = ApiClient.anonymous(server.api()).get("/me");
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.code()).isEqualTo("MissingAuthenticationToken");
    assertThat(ApiClient.anonymous(server.api()).get("/templates/anything").status()).isEqualTo(401);

    Answer me = demo.get("/me");
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.body().path("name").asText()).isEqualTo("demo");
    assertThat(me.body().path("admin").asBoolean()).isTrue();
    Answer bearer = ApiClient.bearer(server.api(), demoCreds.accessKeyId(), demoCreds.secretAccessKey()).get("/me");
    assertThat(bearer.status()).isEqualTo(200);

    Answer wrongSigned = ApiClient.signed(server.api(), demoCreds.accessKeyId(), "not-the-secret").get("/me");
    assertThat(wrongSigned.status()).isEqualTo(401);
    assertThat(wrongSigned.code()).isEqualTo("SignatureDoesNotMatch");
    Answer wrongBearer = ApiClient.bearer(server.api(), demoCreds.accessKeyId(), "not-the-secret").get("/me");
    assertThat(wrongBearer.status()).isEqualTo(401);
    Answer unknown = ApiClient.signed(server.api(), "STKNOSUCHKEY000000000", "x").get("/me");
    assertThat(unknown.code()).isEqualTo("InvalidClientTokenId");

    Answer made = demo.post("/access-keys", Map.of("description", "ci"));
    assertThat(made.status()).isEqualTo(201);
    String id = made.body().path("accessKeyId").asText();
    String secret = made.body().path("secretAccessKey").asText();
    ApiClient second = ApiClient.signed(server.api(), id, secret);
    assertThat(second.get("/me").status()).isEqualTo(200);
    Answer listed = demo.get("/access-keys");
    assertThat(listed.text()).contains(id).doesNotContain(secret);
    assertThat(demo.get("/access-keys/" + id).body().path("status").asText()).isEqualTo("ACTIVE");
    Answer revoked = demo.delete("/access-keys/" + id);
    assertThat(revoked.body().path("status").asText()).isEqualTo("REVOKED");
    Answer after = second.get("/me");
    assertThat(after.status()).isEqualTo(401);
    assertThat(after.code()).isEqualTo("InvalidClientTokenId");
    assertThat(demo.get("/access-keys/STKNOSUCHKEY000000000").status()).isEqualTo(404);

    Answer wrongCurrent = demo.put("/me/password", Map.of("currentPassword", "guess", "newPassword", "a new long password"));
    assertThat(wrongCurrent.status()).isEqualTo(400);
    assertThat(wrongCurrent.body().path("errors").get(0).path("path").asText()).isEqualTo("currentPassword");
    assertThat(demo.put("/me/password", Map.of("currentPassword", demoCreds.password(), "newPassword", "short"))
        .status()).isEqualTo(400);
    assertThat(demo.put("/me/password", Map.of("currentPassword", demoCreds.password(),
        "newPassword", "a new long password")).status()).isEqualTo(204);
    String hash = server.database().jdbi().withHandle(h -> h.createQuery(
        "SELECT password_hash FROM st_users WHERE user_name = 'demo'").mapTo(String.class).one());
    assertThat(hash).startsWith("$argon2id$");
  }

  @Test
  void aKeyRevokedThroughAnotherNodeIsRefusedWithinTheVerificationWindow() throws Exception {
    Answer made = demo.post("/access-keys", Map.of("description", "revoked elsewhere"));
    String id = made.body().path("accessKeyId").asText();
    ApiClient key = ApiClient.signed(server.api(), id, made.body().path("secretAccessKey").asText());
    assertThat(key.get("/me").status()).isEqualTo(200);
    // Another node sharing the database revokes it: this node learns of it from the database alone.
    int updated = server.database().jdbi().withHandle(h -> h.createUpdate(
        "UPDATE st_access_keys SET revoked_at = CURRENT_TIMESTAMP WHERE access_key_id = :id").bind("id", id).execute());
    assertThat(updated).isEqualTo(1);
    long revokedAt = System.nanoTime();
    Answer after = key.get("/me");
    while (after.status() == 200 && System.nanoTime() - revokedAt < 10_000_000_000L) {
      Thread.sleep(50);
      after = key.get("/me");
    }
    long tookMillis = (System.nanoTime() - revokedAt) / 1_000_000;
    assertThat(after.status()).as("still accepted %d ms after the revocation", tookMillis).isEqualTo(401);
    assertThat(after.code()).isEqualTo("InvalidClientTokenId");
    // The window is what the README promises (plus scheduling slack on a loaded machine).
    assertThat(tookMillis).isLessThan(org.stacktician.server.auth.AccessKeyStore.VERIFIED_FOR.toMillis() + 3_000);
  }

  @Test
  void usersAreIsolatedFromEachOther() {
    ApiClient alice = newUser("alice");
    ApiClient bob = newUser("bob");
    String aliceId = alice.get("/me").body().path("id").asText();
    String template = alice.post("/templates", Map.of("name", "web", "body", VALID)).body().path("id").asText();
    Answer account = alice.post("/cloud-accounts", cloudAccount("mine"));
    assertThat(account.status()).as(account.text()).isEqualTo(201);
    String accountId = account.body().path("id").asText();
    String keyId = alice.post("/access-keys", Map.of()).body().path("accessKeyId").asText();

    List<String> aliceThings = List.of("/templates/" + template, "/templates/" + template + "/versions",
        "/templates/" + template + "/versions/1", "/cloud-accounts/" + accountId, "/access-keys/" + keyId,
        "/users/" + aliceId);
    for (String path : aliceThings) {
      assertThat(alice.get(path).status()).as("alice GET " + path).isEqualTo(200);
      Answer b = bob.get(path);
      assertThat(b.status()).as("bob GET " + path).isEqualTo(404);
      assertThat(b.code()).isEqualTo("NotFound");
    }
    assertThat(bob.put("/templates/" + template, Map.of("description", "mine now")).status()).isEqualTo(404);
    assertThat(bob.put("/cloud-accounts/" + accountId, Map.of("name", "taken")).status()).isEqualTo(404);
    for (String path : List.of("/templates/" + template, "/cloud-accounts/" + accountId, "/access-keys/" + keyId,
        "/users/" + aliceId)) {
      assertThat(bob.delete(path).status()).as("bob DELETE " + path).isEqualTo(404);
    }
    assertThat(bob.get("/templates").body().path("total").asInt()).isZero();
    assertThat(bob.get("/cloud-accounts").body().path("items")).isEmpty();
    assertThat(bob.get("/access-keys").text()).doesNotContain(keyId);
    assertThat(bob.get("/users").status()).isEqualTo(404);
    assertThat(bob.post("/users", Map.of("name", "eve", "password", "correct horse battery")).status()).isEqualTo(404);
    // nothing of alice's changed, and an admin sees it all
    assertThat(alice.get("/templates/" + template).body().path("description").isNull()).isTrue();
    assertThat(alice.get("/access-keys/" + keyId).body().path("status").asText()).isEqualTo("ACTIVE");
    assertThat(demo.get("/templates/" + template).status()).isEqualTo(200);
    assertThat(demo.get("/cloud-accounts").text()).contains(accountId);
    assertThat(demo.get("/users").text()).contains("alice", "bob");
    assertThat(demo.delete("/users/" + aliceId).status()).isEqualTo(204);
    assertThat(alice.get("/me").status()).isEqualTo(401);
  }

  @Test
  void templateLibrary() {
    ApiClient bob = newUser("bob");
    Answer made = demo.post("/templates", Map.of("name", "web", "description", "a web tier", "category", "web",
        "body", VALID));
    assertThat(made.status()).as(made.text()).isEqualTo(201);
    assertThat(made.body().path("version").path("valid").asBoolean()).isTrue();
    String id = made.body().path("id").asText();
    Answer clash = demo.post("/templates", Map.of("name", "web", "body", VALID));
    assertThat(clash.status()).isEqualTo(409);
    assertThat(clash.code()).isEqualTo("AlreadyExists");
    assertThat(bob.post("/templates", Map.of("name", "web", "body", VALID)).status()).as("names are per user").isEqualTo(201);

    Answer invalid = demo.post("/templates", Map.of("name", "broken", "category", "db", "public", true, "body", INVALID));
    assertThat(invalid.status()).isEqualTo(201);
    JsonNode error = invalid.body().path("version").path("errors").get(0);
    assertThat(invalid.body().path("version").path("valid").asBoolean()).isFalse();
    assertThat(error.path("path").asText()).isEqualTo("Outputs/Url/Value/Ref");
    assertThat(error.path("line").asInt()).isEqualTo(6);
    assertThat(error.path("column").asInt()).isPositive();
    assertThat(demo.get("/templates/" + invalid.body().path("id").asText()).body().path("version").path("errors")
        .get(0).path("message").asText()).contains("Nowhere");

    Answer changed = demo.put("/templates/" + id, Map.of("body", VALID.replace("one wait handle", "two")));
    assertThat(changed.body().path("latestVersion").asInt()).isEqualTo(2);
    assertThat(demo.put("/templates/" + id, Map.of("category", "tier")).body().path("latestVersion").asInt())
        .as("no new version without a new body").isEqualTo(2);
    assertThat(demo.get("/templates/" + id + "/versions").body().path("items")).hasSize(2);
    assertThat(demo.get("/templates/" + id + "/versions/1").body().path("version").path("body").asText())
        .contains("one wait handle");
    assertThat(demo.get("/templates/" + id).body().path("version").path("body").asText()).contains("two");
    assertThat(demo.get("/templates/" + id + "/versions/9").status()).isEqualTo(404);

    for (int i = 0; i < 3; i++) {
      demo.post("/templates", Map.of("name", "app-" + i, "category", "apps", "body", VALID));
    }
    Answer page = demo.get("/templates?owner=me&limit=2");
    assertThat(page.body().path("items")).hasSize(2);
    assertThat(page.body().path("total").asInt()).isEqualTo(5);
    assertThat(page.body().path("nextOffset").asInt()).isEqualTo(2);
    Answer last = demo.get("/templates?owner=me&limit=2&offset=4");
    assertThat(last.body().path("items")).hasSize(1);
    assertThat(last.body().path("nextOffset").isNull()).isTrue();
    assertThat(demo.get("/templates?category=apps").body().path("total").asInt()).isEqualTo(3);
    assertThat(demo.get("/templates?name=APP-1").body().path("items").get(0).path("name").asText()).isEqualTo("app-1");
    assertThat(demo.get("/templates?name=%25").body().path("total").asInt()).as("% is no wildcard").isZero();
    assertThat(demo.get("/templates?limit=500").status()).isEqualTo(400);
    assertThat(demo.get("/templates?visibility=secret").status()).isEqualTo(400);

    // public templates are visible to everyone, changeable by their owner only
    assertThat(bob.get("/templates?visibility=public").body().path("items").get(0).path("name").asText())
        .isEqualTo("broken");
    String publicId = invalid.body().path("id").asText();
    assertThat(bob.get("/templates/" + publicId).status()).isEqualTo(200);
    assertThat(bob.put("/templates/" + publicId, Map.of("body", VALID)).status()).isEqualTo(404);
    assertThat(bob.delete("/templates/" + publicId).status()).isEqualTo(404);
    assertThat(demo.delete("/templates/" + publicId).status()).isEqualTo(204);
    assertThat(bob.get("/templates/" + publicId).status()).isEqualTo(404);

    Answer validate = demo.post("/templates/validate", Map.of("body", INVALID));
    assertThat(validate.status()).isEqualTo(400);
    assertThat(validate.body().path("valid").asBoolean(true)).isFalse();
    assertThat(validate.body().path("errors").get(0).path("line").asInt()).isEqualTo(6);
    Answer good = demo.post("/templates/validate", Map.of("body", VALID));
    assertThat(good.status()).isEqualTo(200);
    assertThat(good.body().path("description").asText()).isEqualTo("one wait handle");

    Answer badJson = demo.send("POST", "/templates", "{not json".getBytes());
    assertThat(badJson.status()).isEqualTo(400);
    assertThat(badJson.body().path("message").asText()).contains("not valid JSON");
    Answer badName = demo.post("/templates", Map.of("name", "no spaces allowed", "body", VALID));
    assertThat(badName.status()).isEqualTo(400);
    assertThat(badName.body().path("errors").get(0).path("path").asText()).isEqualTo("name");
    String huge = "#" + "x".repeat(1_100_000) + "\n" + VALID;
    Answer tooLarge = demo.post("/templates", Map.of("name", "huge", "body", huge));
    assertThat(tooLarge.status()).isEqualTo(413);
    Answer wayTooLarge = demo.send("POST", "/templates/validate", new byte[3_000_000]);
    assertThat(wayTooLarge.status()).isEqualTo(413);
    assertThat(demo.get("/no-such-route").status()).isEqualTo(404);
  }

  @Test
  void cloudAccountsAreCheckedAgainstTheCloud() throws Exception {
    Answer listed = demo.get("/cloud-accounts");
    JsonNode demoAccount = listed.body().path("items").get(0);
    assertThat(demoAccount.path("simulated").asBoolean()).isTrue();
    assertThat(demoAccount.path("label").asText()).startsWith("SIMULATED");

    Map<String, Object> wrongKey = new java.util.HashMap<>(cloudAccount("wrong"));
    wrongKey.put("secretKey", "not-the-secret");
    Answer refused = demo.post("/cloud-accounts", wrongKey);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().path("errors").get(0).path("path").asText()).isEqualTo("secretKey");
    assertThat(refused.body().path("message").asText()).contains("refused the API key and secret key");

    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Map<String, Object> unreachable = new java.util.HashMap<>(cloudAccount("gone"));
    unreachable.put("endpoint", "http://127.0.0.1:" + closedPort + "/client/api");
    Answer noAnswer = demo.post("/cloud-accounts", unreachable);
    assertThat(noAnswer.status()).isEqualTo(400);
    assertThat(noAnswer.body().path("errors").get(0).path("path").asText()).isEqualTo("endpoint");
    assertThat(noAnswer.body().path("message").asText()).contains("cannot reach CloudStack endpoint");
    Answer notUrl = demo.post("/cloud-accounts", Map.of("name", "x", "endpoint", "ftp://x", "apiKey", "a",
        "secretKey", "b"));
    assertThat(notUrl.status()).isEqualTo(400);

    Answer made = demo.post("/cloud-accounts", cloudAccount("prod"));
    assertThat(made.status()).as(made.text()).isEqualTo(201);
    assertThat(made.text()).doesNotContain(simulatorCredentials().secretKey())
        .doesNotContain(simulatorCredentials().apiKey());
    assertThat(made.body().path("simulated").asBoolean()).isFalse();
    assertThat(demo.post("/cloud-accounts", cloudAccount("prod")).status()).isEqualTo(409);
    String id = made.body().path("id").asText();
    assertThat(demo.put("/cloud-accounts/" + id, Map.of("secretKey", "wrong")).status()).isEqualTo(400);
    assertThat(demo.put("/cloud-accounts/" + id, Map.of("name", "production")).body().path("name").asText())
        .isEqualTo("production");
    assertThat(demo.delete("/cloud-accounts/" + id).status()).isEqualTo(204);
    assertThat(demo.get("/cloud-accounts/" + id).status()).isEqualTo(404);
  }

  @Test
  void theDatabaseHoldsNoPlaintextSecret() {
    ApiClient alice = newUser("alice");
    assertThat(alice.post("/cloud-accounts", cloudAccount("mine")).status()).isEqualTo(201);
    Answer key = alice.post("/access-keys", Map.of());
    String marker = "plain-marker-" + System.nanoTime();
    alice.post("/templates", Map.of("name", "marked", "description", marker, "body", VALID));
    Answer stack = alice.post("/stacks", Map.of("name", "secretive", "templateBody", SECURITY_GROUP,
        "parameters", Map.of("Secret", "noecho-value-in-flight")));
    assertThat(stack.status()).as(stack.text()).isEqualTo(201);
    try {
      assertThat(settled(alice, stack.body().path("id").asText()).path("status").asText()).isEqualTo("CREATE_COMPLETE");
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    List<String> secrets = List.of(simulatorCredentials().secretKey(), simulatorCredentials().apiKey(),
        demoCreds.secretAccessKey(), demoCreds.password(), key.body().path("secretAccessKey").asText(),
        "correct horse battery", "noecho-value-in-flight");
    String dump = dumpAllTables();
    assertThat(dump).as("the dump reads real rows").contains(marker).contains(demoCreds.accessKeyId());
    for (String secret : secrets) {
      assertThat(dump).as("a secret in the database").doesNotContain(secret);
    }
    checkStorage(secrets, marker);
  }

  /** Waits until a stack is no longer in progress and returns it. */
  JsonNode settled(ApiClient client, String id) throws InterruptedException {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(90).toNanos();
    while (true) {
      Answer a = client.get("/stacks/" + id);
      assertThat(a.status()).as(a.text()).isEqualTo(200);
      if (!a.body().path("status").asText().endsWith("_IN_PROGRESS")) {
        return a.body();
      }
      assertThat(System.nanoTime()).as("stack " + id + " still " + a.body().path("status").asText())
          .isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  /** Simulator resources of one kind whose name starts with a prefix, with the account that holds them. */
  Map<String, String> accountsOf(String kind, String namePrefix) {
    Map<String, String> out = new java.util.TreeMap<>();
    server.simulator().orElseThrow().inventory().created().stream()
        .filter(i -> i.kind().equals(kind) && i.name() != null && i.name().startsWith(namePrefix))
        .forEach(i -> out.put(i.name(), i.account()));
    return out;
  }

  @Test
  void stacksRunInTheirOwnersCloudAccountsAndAreIsolated() throws Exception {
    ApiClient alice = newUser("alice");
    ApiClient bob = newUser("bob");
    var sim = server.simulator().orElseThrow();
    var tenant2 = sim.accounts().get(1);
    assertThat(alice.post("/cloud-accounts", cloudAccount("mine")).status()).isEqualTo(201);
    Answer bobAccount = bob.post("/cloud-accounts", Map.of("name", "other", "endpoint", sim.endpoint().toString(),
        "apiKey", tenant2.credentials().apiKey(), "secretKey", tenant2.credentials().secretKey()));
    assertThat(bobAccount.status()).as(bobAccount.text()).isEqualTo(201);

    String template = alice.post("/templates", Map.of("name", "sg", "body", SECURITY_GROUP)).body().path("id").asText();
    Answer a = alice.post("/stacks", Map.of("name", "alice-web", "templateId", template,
        "parameters", Map.of("Secret", "alice-noecho-value")));
    assertThat(a.status()).as(a.text()).isEqualTo(201);
    assertThat(a.body().path("status").asText()).isEqualTo("CREATE_IN_PROGRESS");
    assertThat(a.body().path("templateVersion").asInt()).isEqualTo(1);
    Answer b = bob.post("/stacks", Map.of("name", "bob-web", "templateBody", SECURITY_GROUP));
    assertThat(b.status()).as(b.text()).isEqualTo(201);
    String aliceStack = a.body().path("id").asText();
    String bobStack = b.body().path("id").asText();

    JsonNode aliceDone = settled(alice, aliceStack);
    assertThat(aliceDone.path("status").asText()).as(aliceDone.toString()).isEqualTo("CREATE_COMPLETE");
    assertThat(settled(bob, bobStack).path("status").asText()).isEqualTo("CREATE_COMPLETE");
    // one engine, each stack in its owner's account
    assertThat(accountsOf("SECURITY_GROUP", "alice-web")).containsEntry("alice-web-sg", sim.accounts().get(0).name());
    assertThat(accountsOf("SECURITY_GROUP", "bob-web")).containsEntry("bob-web-sg", tenant2.name());

    assertThat(aliceDone.toString()).doesNotContain("alice-noecho-value");
    Answer outputs = alice.get("/stacks/" + aliceStack + "/outputs");
    assertThat(outputs.text()).contains("SgId", "****").doesNotContain("alice-noecho-value");
    Answer resources = alice.get("/stacks/" + aliceStack + "/resources");
    assertThat(resources.body().path("items").get(0).path("status").asText()).isEqualTo("CREATE_COMPLETE");
    assertThat(alice.get("/stacks/" + aliceStack + "/template").body().path("body").asText()).contains("Sg");
    Answer events = alice.get("/stacks/" + aliceStack + "/events");
    assertThat(events.body().path("items").size()).isGreaterThanOrEqualTo(4);
    long since = events.body().path("nextSince").asLong();
    assertThat(alice.get("/stacks/" + aliceStack + "/events?since=" + since).body().path("items")).isEmpty();
    assertThat(alice.get("/stacks?status=CREATE_COMPLETE").body().path("total").asInt()).isEqualTo(1);
    assertThat(alice.get("/stacks?status=DELETE_COMPLETE").body().path("total").asInt()).isZero();
    assertThat(alice.get("/stacks?status=SIDEWAYS").status()).isEqualTo(400);

    for (String path : List.of("", "/events", "/resources", "/outputs", "/template")) {
      assertThat(bob.get("/stacks/" + aliceStack + path).status()).as("bob GET stack" + path).isEqualTo(404);
    }
    assertThat(bob.delete("/stacks/" + aliceStack).status()).isEqualTo(404);
    assertThat(bob.get("/stacks").body().path("items").get(0).path("name").asText()).isEqualTo("bob-web");
    assertThat(bob.get("/stacks").body().path("total").asInt()).isEqualTo(1);
    assertThat(demo.get("/stacks").body().path("total").asInt()).as("an admin sees all").isEqualTo(2);

    Answer clash = alice.post("/stacks", Map.of("name", "alice-web", "templateBody", SECURITY_GROUP));
    assertThat(clash.status()).isEqualTo(409);
    Answer invalid = alice.post("/stacks", Map.of("name", "broken", "templateBody", INVALID));
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.body().path("errors").get(0).path("path").asText()).isEqualTo("Outputs/Url/Value/Ref");
    String accountId = alice.get("/cloud-accounts").body().path("items").get(0).path("id").asText();
    Answer inUse = alice.delete("/cloud-accounts/" + accountId);
    assertThat(inUse.status()).as("an account with stacks").isEqualTo(409);
    assertThat(inUse.code()).isEqualTo("InvalidState");

    Answer deleting = alice.delete("/stacks/" + aliceStack);
    assertThat(deleting.status()).isEqualTo(202);
    assertThat(settled(alice, aliceStack).path("status").asText()).isEqualTo("DELETE_COMPLETE");
    assertThat(accountsOf("SECURITY_GROUP", "alice-web")).isEmpty();
    assertThat(accountsOf("SECURITY_GROUP", "bob-web")).hasSize(1);
    assertThat(alice.delete("/cloud-accounts/" + accountId).status()).isEqualTo(204);
  }

  @Test
  void waitConditionSignalsReachTheServerAndMetadataIsNotOpen() throws Exception {
    String template = """
        {"Resources": {"Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"},
                       "Wait": {"Type": "AWS::CloudFormation::WaitCondition",
                                "Properties": {"Handle": {"Ref": "Handle"}, "Timeout": "120"}}},
         "Outputs": {"Got": {"Value": {"Fn::GetAtt": ["Wait", "Data"]}}}}
        """;
    Answer made = demo.post("/stacks", Map.of("name", "waits", "templateBody", template));
    assertThat(made.status()).as(made.text()).isEqualTo(201);
    String id = made.body().path("id").asText();
    String handleUrl = null;
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
    while (handleUrl == null) {
      for (JsonNode r : demo.get("/stacks/" + id + "/resources").body().path("items")) {
        if (r.path("logicalId").asText().equals("Handle") && r.path("status").asText().equals("CREATE_COMPLETE")) {
          handleUrl = r.path("physicalId").asText();
        }
      }
      assertThat(System.nanoTime()).as("the handle was never created").isLessThan(deadline);
      Thread.sleep(100);
    }
    assertThat(handleUrl).as("handle URLs are the server's").startsWith(server.url().toString());
    try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
      var signal = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(handleUrl))
          .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
              "{\"Status\":\"SUCCESS\",\"UniqueId\":\"vm1\",\"Data\":\"booted\",\"Reason\":\"ok\"}"))
          .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(signal.statusCode()).as(signal.body()).isEqualTo(200);
      var forged = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(handleUrl.replace("Handle", "Other")))
          .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"Status\":\"SUCCESS\",\"UniqueId\":\"x\"}"))
          .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(forged.statusCode()).isEqualTo(403);
      String stackId = made.body().path("stackId").asText();
      var metadata = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + "metadata/"
          + java.net.URLEncoder.encode(stackId, java.nio.charset.StandardCharsets.UTF_8) + "/Handle")).GET().build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(metadata.statusCode()).as("metadata without the stack's credentials").isEqualTo(403);
    }
    JsonNode done = settled(demo, id);
    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("CREATE_COMPLETE");
    assertThat(demo.get("/stacks/" + id + "/outputs").text()).contains("vm1").contains("booted");
  }

  static final String EXPORTER = """
      {"Resources": {"Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
       "Outputs": {"Url": {"Value": {"Ref": "Handle"}, "Export": {"Name": "EXPORT"}}}}
      """;
  static final String IMPORTER = """
      {"Resources": {"Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
       "Outputs": {"Got": {"Value": {"Fn::ImportValue": "EXPORT"}}}}
      """;

  @Test
  void stackNamesAndExportsBelongToTheirOwner() throws Exception {
    ApiClient alice = newUserWithCloud("alice");
    ApiClient bob = newUserWithCloud("bob");
    String aliceWeb = created(alice, "web", EXPORTER.replace("EXPORT", "shared-url"));
    String aliceOnly = created(alice, "alice-private-stack", EXPORTER.replace("EXPORT", "alice-only"));

    String bobWeb = created(bob, "web", EXPORTER.replace("EXPORT", "shared-url"));
    Answer clash = bob.post("/stacks", Map.of("name", "web", "templateBody", VALID));
    assertThat(clash.status()).as("a clash with one's own stack").isEqualTo(409);
    assertThat(clash.code()).isEqualTo("AlreadyExists");
    assertThat(clash.text()).contains("web");
    String bobApp = created(bob, "app", IMPORTER.replace("EXPORT", "shared-url"));
    assertThat(alice.get("/stacks/" + aliceWeb + "/outputs").text()).as("alice's URL is her own")
        .doesNotContain(output(bob, bobWeb, "Url"));
    assertThat(output(bob, bobApp, "Got")).as("bob imports his own export").isEqualTo(output(bob, bobWeb, "Url"));
    Answer foreign = bob.post("/stacks", Map.of("name", "thief", "templateBody", IMPORTER.replace("EXPORT", "alice-only")));
    assertThat(foreign.status()).as("another user's export does not exist").isEqualTo(400);
    assertThat(foreign.text()).contains("alice-only").doesNotContain("alice-private-stack").doesNotContain(aliceOnly);
    assertThat(bob.get("/stacks").body().path("total").asInt()).isEqualTo(2);

    assertThat(alice.delete("/stacks/" + aliceWeb).status()).as("bob's import holds only bob's export").isEqualTo(202);
    assertThat(settled(alice, aliceWeb).path("status").asText()).isEqualTo("DELETE_COMPLETE");
    Answer held = bob.delete("/stacks/" + bobWeb);
    assertThat(held.status()).isEqualTo(409);
    assertThat(held.text()).contains("in use by app");

    // The server's migration put the stacks an earlier version made (all in the default scope) into their owners'.
    server.database().jdbi().useHandle(h -> {
      h.execute("UPDATE sm_stacks SET scope = 'default'");
      h.execute("UPDATE sm_exports SET scope = 'default'");
      new org.stacktician.server.db.migration.V5__Stack_scopes().migrate(new org.flywaydb.core.api.migration.Context() {
        @Override
        public org.flywaydb.core.api.configuration.Configuration getConfiguration() {
          return null;
        }

        @Override
        public java.sql.Connection getConnection() {
          return h.getConnection();
        }
      });
    });
    String aliceId = alice.get("/me").body().path("id").asText();
    String bobId = bob.get("/me").body().path("id").asText();
    Map<String, String> scopes = new java.util.TreeMap<>();
    server.database().jdbi().useHandle(h -> h.createQuery("SELECT stack_name, scope, live_name FROM sm_stacks")
        .map((rs, ctx) -> scopes.put(rs.getString("stack_name") + (rs.getString("live_name") == null ? "(deleted)" : ""),
            rs.getString("scope"))).list());
    assertThat(scopes).containsEntry("web(deleted)", aliceId).containsEntry("alice-private-stack", aliceId)
        .containsEntry("web", bobId).containsEntry("app", bobId);
    List<String> exports = server.database().jdbi().withHandle(h -> h.createQuery(
        "SELECT export_name || '=' || scope FROM sm_exports ORDER BY export_name").mapTo(String.class).list());
    assertThat(exports)
        .containsExactly("alice-only=" + aliceId, "shared-url=" + bobId);
  }

  @Test
  void terminationProtectionRefusesDeleteUntilTurnedOff() throws Exception {
    ApiClient bob = newUser("bob");
    Answer made = demo.post("/stacks", Map.of("name", "guarded", "templateBody", VALID, "enableTerminationProtection", true));
    assertThat(made.status()).as(made.text()).isEqualTo(201);
    assertThat(made.body().path("terminationProtection").asBoolean()).isTrue();
    String id = made.body().path("id").asText();
    assertThat(settled(demo, id).path("status").asText()).isEqualTo("CREATE_COMPLETE");
    Answer refused = demo.delete("/stacks/" + id);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.code()).as("not a name clash").isEqualTo("InvalidState");
    assertThat(refused.body().path("message").asText()).contains("TerminationProtection");
    assertThat(bob.put("/stacks/" + id + "/termination-protection", Map.of("enabled", false)).status()).isEqualTo(404);
    assertThat(demo.put("/stacks/" + id + "/termination-protection", Map.of()).status()).isEqualTo(400);
    Answer off = demo.put("/stacks/" + id + "/termination-protection", Map.of("enabled", false));
    assertThat(off.status()).as(off.text()).isEqualTo(200);
    assertThat(off.body().path("terminationProtection").asBoolean()).isFalse();
    assertThat(demo.get("/stacks/" + id).body().path("terminationProtection").asBoolean()).isFalse();
    assertThat(demo.delete("/stacks/" + id).status()).isEqualTo(202);
    assertThat(settled(demo, id).path("status").asText()).isEqualTo("DELETE_COMPLETE");
  }

  @Test
  void driftIsDetectedAndKeptPerStack() throws Exception {
    ApiClient bob = newUser("bob");
    String id = created(demo, "drifty", SECURITY_GROUP);
    assertThat(demo.get("/stacks/" + id + "/drift").status()).as("before any detection").isEqualTo(404);
    assertThat(demo.get("/stacks/" + id).body().path("drift").toString())
        .isEqualTo("{\"status\":\"NOT_CHECKED\",\"lastCheckTimestamp\":null}");
    assertThat(demo.get("/stacks/" + id + "/resources").body().path("items").get(0).path("drift").path("status")
        .asText()).isEqualTo("NOT_CHECKED");
    Answer started = demo.post("/stacks/" + id + "/drift", Map.of());
    assertThat(started.status()).as(started.text()).isEqualTo(202);
    assertThat(started.body().path("detectionStatus").asText()).as("answered before it runs")
        .isEqualTo("DETECTION_IN_PROGRESS");
    assertThat(started.body().path("stackDriftStatus").asText()).isEqualTo("NOT_CHECKED");
    Answer detected = driftEnded(demo, id);
    assertThat(detected.body().path("detectionId").asText()).isEqualTo(started.body().path("detectionId").asText());
    assertThat(detected.body().path("detectionStatus").asText()).isEqualTo("DETECTION_COMPLETE");
    assertThat(detected.body().path("stackDriftStatus").asText()).isEqualTo("IN_SYNC");
    assertThat(detected.body().path("resourceDrifts").get(0).path("logicalResourceId").asText()).isEqualTo("Sg");
    java.time.Instant detectedAt = java.time.Instant.parse(detected.body().path("detectedAt").asText());
    JsonNode stackDrift = demo.get("/stacks/" + id).body().path("drift");
    assertThat(stackDrift.path("status").asText()).isEqualTo("IN_SYNC");
    assertThat(java.time.Instant.parse(stackDrift.path("lastCheckTimestamp").asText())).isEqualTo(detectedAt);
    assertThat(demo.get("/stacks").body().path("items").get(0).path("drift").path("status").asText())
        .isEqualTo("IN_SYNC");
    JsonNode resourceDrift = demo.get("/stacks/" + id + "/resources").body().path("items").get(0).path("drift");
    assertThat(resourceDrift.path("status").asText()).isEqualTo("IN_SYNC");
    assertThat(java.time.Instant.parse(resourceDrift.path("lastCheckTimestamp").asText())).isEqualTo(detectedAt);
    Answer last = demo.get("/stacks/" + id + "/drift");
    assertThat(last.body().path("detectionId").asText()).isEqualTo(detected.body().path("detectionId").asText());
    assertThat(bob.get("/stacks/" + id + "/drift").status()).isEqualTo(404);
    assertThat(bob.post("/stacks/" + id + "/drift", Map.of()).status()).isEqualTo(404);

    // not while an operation runs on the stack (it waits for a signal)
    Answer waiting = demo.post("/stacks", Map.of("name", "waiting", "templateBody", """
        {"Resources": {"H": {"Type": "AWS::CloudFormation::WaitConditionHandle"},
                       "W": {"Type": "AWS::CloudFormation::WaitCondition",
                             "Properties": {"Handle": {"Ref": "H"}, "Timeout": "600"}}}}"""));
    assertThat(waiting.status()).as(waiting.text()).isEqualTo(201);
    Answer busy = demo.post("/stacks/" + waiting.body().path("id").asText() + "/drift", Map.of());
    assertThat(busy.status()).as(busy.text()).isEqualTo(409);
    assertThat(busy.code()).isEqualTo("InvalidState");
    assertThat(busy.body().path("message").asText()).contains("CREATE_IN_PROGRESS");
  }

  /** Polls GET /stacks/{id}/drift until the last detection is no longer in progress; its answer. */
  static Answer driftEnded(ApiClient client, String stack) throws InterruptedException {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(90).toNanos();
    while (true) {
      Answer a = client.get("/stacks/" + stack + "/drift");
      assertThat(a.status()).as(a.text()).isEqualTo(200);
      if (!"DETECTION_IN_PROGRESS".equals(a.body().path("detectionStatus").asText())) {
        return a;
      }
      assertThat(System.nanoTime()).as("the drift detection of " + stack + " still runs").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** SECURITY_GROUP with one more wait handle, named {@code name}. */
  static String withHandle(String name) {
    return SECURITY_GROUP.replace("\"Resources\": {", "\"Resources\": {\"" + name
        + "\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\"}, ");
  }

  static final Map<String, Object> KEEP_SECRET = Map.of("Secret", Map.of("usePreviousValue", true));

  List<String> logicalIds(ApiClient client, String stack) {
    List<String> ids = new ArrayList<>();
    client.get("/stacks/" + stack + "/resources").body().path("items").forEach(r -> ids.add(r.path("logicalId").asText()));
    return ids;
  }

  @Test
  void stacksAreUpdatedThroughRestWithChangeSetsAndEveryRefusal() throws Exception {
    ApiClient alice = newUserWithCloud("alice");
    ApiClient bob = newUserWithCloud("bob");
    Answer made = alice.post("/stacks", Map.of("name", "upd", "templateBody", SECURITY_GROUP,
        "parameters", Map.of("Secret", "upd-noecho-value")));
    assertThat(made.status()).as(made.text()).isEqualTo(201);
    String id = made.body().path("id").asText();
    assertThat(settled(alice, id).path("status").asText()).isEqualTo("CREATE_COMPLETE");
    String bobStack = created(bob, "bobs", VALID);

    // update from a library template, keeping the NoEcho value
    String library = alice.post("/templates", Map.of("name", "sg2", "body", withHandle("Second"))).body().path("id")
        .asText();
    Answer updating = alice.put("/stacks/" + id, Map.of("templateId", library, "parameters", KEEP_SECRET));
    assertThat(updating.status()).as(updating.text()).isEqualTo(202);
    assertThat(updating.body().path("status").asText()).isEqualTo("UPDATE_IN_PROGRESS");
    assertThat(settled(alice, id).path("status").asText()).isEqualTo("UPDATE_COMPLETE");
    assertThat(logicalIds(alice, id)).contains("Sg", "Second");
    assertThat(alice.get("/stacks/" + id).text()).doesNotContain("upd-noecho-value");

    // the refusals of an update
    Answer nothing = alice.put("/stacks/" + id, Map.of("usePreviousTemplate", true, "parameters", KEEP_SECRET));
    assertThat(nothing.status()).as(nothing.text()).isEqualTo(400);
    assertThat(nothing.body().path("message").asText()).isEqualTo("No updates are to be performed.");
    Answer invalid = alice.put("/stacks/" + id, Map.of("templateBody", INVALID));
    assertThat(invalid.status()).isEqualTo(400);
    JsonNode error = invalid.body().path("errors").get(0);
    assertThat(error.path("path").asText()).isEqualTo("Outputs/Url/Value/Ref");
    assertThat(error.path("line").asInt()).isEqualTo(6);
    assertThat(error.path("column").asInt()).isPositive();
    Answer both = alice.put("/stacks/" + id, Map.of("usePreviousTemplate", true, "templateBody", VALID));
    assertThat(both.status()).isEqualTo(400);
    assertThat(both.body().path("errors").get(0).path("path").asText()).isEqualTo("usePreviousTemplate");
    assertThat(alice.put("/stacks/" + id, Map.of("usePreviousTemplate", true,
        "parameters", Map.of("Secret", List.of("x")))).status()).isEqualTo(400);
    String bobTemplate = bob.post("/templates", Map.of("name", "bobs", "body", VALID)).body().path("id").asText();
    assertThat(alice.put("/stacks/" + id, Map.of("templateId", bobTemplate)).status())
        .as("another user's private template").isEqualTo(404);
    String huge = "#" + "x".repeat(1_100_000) + "\n" + VALID;
    assertThat(alice.put("/stacks/" + id, Map.of("templateBody", huge)).status()).isEqualTo(413);
    assertThat(alice.post("/stacks", Map.of("name", "huge", "templateBody", huge)).status()).isEqualTo(413);
    assertThat(alice.send("PUT", "/stacks/" + id, new byte[3_000_000]).status()).isEqualTo(413);
    assertThat(alice.post("/stacks/" + id + "/cancel-update", null).status()).as("no update to cancel").isEqualTo(409);
    Answer notFailed = alice.post("/stacks/" + id + "/continue-update-rollback", Map.of());
    assertThat(notFailed.status()).isEqualTo(409);
    assertThat(notFailed.code()).isEqualTo("InvalidState");
    assertThat(alice.post("/stacks/" + id + "/continue-update-rollback", Map.of("resourcesToSkip", "Sg")).status())
        .isEqualTo(400);

    // change sets
    Answer cs = alice.post("/stacks/" + id + "/change-sets", Map.of("name", "third", "description", "one more",
        "templateBody", withHandle("Third").replace("\"Resources\": {", "\"Resources\": {\"Second\": {\"Type\":"
            + " \"AWS::CloudFormation::WaitConditionHandle\"}, "), "parameters", KEEP_SECRET));
    assertThat(cs.status()).as(cs.text()).isEqualTo(201);
    assertThat(cs.body().path("executionStatus").asText()).isEqualTo("AVAILABLE");
    JsonNode change = cs.body().path("changes").get(0).path("ResourceChange");
    assertThat(change.path("Action").asText() + " " + change.path("LogicalResourceId").asText()).isEqualTo("Add Third");
    assertThat(cs.body().path("parameters").get(0).path("value").asText()).isEqualTo("****");
    String csArn = cs.body().path("id").asText();
    Answer twice = alice.post("/stacks/" + id + "/change-sets", Map.of("name", "third", "usePreviousTemplate", true));
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.code()).isEqualTo("AlreadyExists");
    assertThat(alice.post("/stacks/" + id + "/change-sets", Map.of("templateBody", VALID)).status())
        .as("no name").isEqualTo(400);
    Answer badCs = alice.post("/stacks/" + id + "/change-sets", Map.of("name", "bad", "templateBody", INVALID));
    assertThat(badCs.status()).isEqualTo(400);
    assertThat(badCs.body().path("errors").get(0).path("line").asInt()).isEqualTo(6);
    assertThat(alice.post("/stacks/" + id + "/change-sets", Map.of("name", "big", "templateBody", huge)).status())
        .isEqualTo(413);
    Answer listed = alice.get("/stacks/" + id + "/change-sets");
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.body().path("items")).hasSize(1);
    assertThat(listed.body().path("items").get(0).path("name").asText()).isEqualTo("third");
    assertThat(alice.get("/stacks/" + id + "/change-sets/third").body().path("description").asText())
        .isEqualTo("one more");
    assertThat(alice.get("/stacks/" + id + "/change-sets/" + java.net.URLEncoder.encode(csArn,
        java.nio.charset.StandardCharsets.UTF_8)).status()).as("by its ARN").isEqualTo(200);
    assertThat(alice.get("/stacks/" + id + "/change-sets/nope").status()).isEqualTo(404);

    // user B: 404 for every route on A's stack and change set, and nothing of A's changes
    String encodedArn = java.net.URLEncoder.encode(csArn, java.nio.charset.StandardCharsets.UTF_8);
    List<Answer> refused = List.of(bob.put("/stacks/" + id, Map.of("usePreviousTemplate", true)),
        bob.post("/stacks/" + id + "/cancel-update", null),
        bob.post("/stacks/" + id + "/continue-update-rollback", Map.of()),
        bob.get("/stacks/" + id + "/change-sets"),
        bob.post("/stacks/" + id + "/change-sets", Map.of("name", "mine", "usePreviousTemplate", true)),
        bob.get("/stacks/" + id + "/change-sets/third"),
        bob.post("/stacks/" + id + "/change-sets/third/execute", null),
        bob.delete("/stacks/" + id + "/change-sets/third"),
        bob.get("/stacks/" + bobStack + "/change-sets/" + encodedArn),
        bob.post("/stacks/" + bobStack + "/change-sets/" + encodedArn + "/execute", null),
        bob.delete("/stacks/" + bobStack + "/change-sets/" + encodedArn));
    for (Answer a : refused) {
      assertThat(a.status()).as(a.text()).isEqualTo(404);
      assertThat(a.code()).isEqualTo("NotFound");
    }
    assertThat(alice.get("/stacks/" + id + "/change-sets/third").body().path("executionStatus").asText())
        .isEqualTo("AVAILABLE");
    assertThat(alice.get("/stacks/" + id).body().path("status").asText()).isEqualTo("UPDATE_COMPLETE");

    // every route needs a key
    ApiClient anonymous = ApiClient.anonymous(server.api());
    for (Answer a : List.of(anonymous.put("/stacks/" + id, Map.of()), anonymous.post("/stacks/" + id + "/cancel-update", null),
        anonymous.post("/stacks/" + id + "/continue-update-rollback", null), anonymous.get("/stacks/" + id + "/change-sets"),
        anonymous.post("/stacks/" + id + "/change-sets", Map.of()), anonymous.get("/stacks/" + id + "/change-sets/third"),
        anonymous.delete("/stacks/" + id + "/change-sets/third"),
        anonymous.post("/stacks/" + id + "/change-sets/third/execute", null))) {
      assertThat(a.status()).as(a.text()).isEqualTo(401);
    }

    Answer executing = alice.post("/stacks/" + id + "/change-sets/third/execute", null);
    assertThat(executing.status()).as(executing.text()).isEqualTo(202);
    assertThat(settled(alice, id).path("status").asText()).isEqualTo("UPDATE_COMPLETE");
    assertThat(logicalIds(alice, id)).contains("Sg", "Second", "Third");
    Answer again = alice.post("/stacks/" + id + "/change-sets/third/execute", null);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("InvalidChangeSetStatus");
    assertThat(again.body().path("message").asText()).contains("EXECUTE_COMPLETE");

    assertThat(alice.post("/stacks/" + id + "/change-sets", Map.of("name", "dropped", "usePreviousTemplate", true,
        "parameters", Map.of("Secret", "another"))).status()).isEqualTo(201);
    assertThat(alice.delete("/stacks/" + id + "/change-sets/dropped").status()).isEqualTo(204);
    assertThat(alice.get("/stacks/" + id + "/change-sets/dropped").status()).isEqualTo(404);
    assertThat(alice.delete("/stacks/" + id + "/change-sets/dropped").status()).isEqualTo(404);

    // cancel an update that waits on a wait condition: it rolls back to the previous template
    String waiting = SECURITY_GROUP.replace("\"Resources\": {", "\"Resources\": {"
        + "\"H\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\"},"
        + " \"W\": {\"Type\": \"AWS::CloudFormation::WaitCondition\","
        + " \"Properties\": {\"Handle\": {\"Ref\": \"H\"}, \"Timeout\": \"600\"}}, ");
    assertThat(alice.post("/stacks/" + id + "/change-sets", Map.of("name", "waits", "templateBody", waiting,
        "parameters", KEEP_SECRET)).status()).isEqualTo(201);
    assertThat(alice.post("/stacks/" + id + "/change-sets/waits/execute", null).status()).isEqualTo(202);
    Answer busy = alice.put("/stacks/" + id, Map.of("usePreviousTemplate", true, "parameters", KEEP_SECRET));
    assertThat(busy.status()).as("an update while one runs").isEqualTo(409);
    assertThat(busy.code()).isEqualTo("InvalidState");
    Answer beingExecuted = alice.delete("/stacks/" + id + "/change-sets/waits");
    assertThat(beingExecuted.status()).as("a change set being executed").isEqualTo(409);
    assertThat(beingExecuted.code()).isEqualTo("InvalidChangeSetStatus");
    Answer cancelled = alice.post("/stacks/" + id + "/cancel-update", null);
    assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(202);
    assertThat(settled(alice, id).path("status").asText()).isEqualTo("UPDATE_ROLLBACK_COMPLETE");
    assertThat(logicalIds(alice, id)).contains("Third").doesNotContain("W");

    // with disableRollback, an update that fails stops UPDATE_FAILED and keeps what it made
    String failing = SECURITY_GROUP.replace("\"Resources\": {", "\"Resources\": {"
        + "\"Handle\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\"},"
        + " \"Never\": {\"Type\": \"AWS::CloudFormation::WaitCondition\","
        + " \"Properties\": {\"Handle\": {\"Ref\": \"Handle\"}, \"Timeout\": \"1\"}}, ");
    Answer kept = alice.put("/stacks/" + id, Map.of("templateBody", failing, "parameters", KEEP_SECRET,
        "disableRollback", true));
    assertThat(kept.status()).as(kept.text()).isEqualTo(202);
    assertThat(settled(alice, id).path("status").asText()).isEqualTo("UPDATE_FAILED");
    assertThat(logicalIds(alice, id)).contains("Handle", "Never");

    // rollback: only a failed stack; back to its last stable template
    assertThat(bob.post("/stacks/" + id + "/rollback", null).status()).isEqualTo(404);
    assertThat(anonymous.post("/stacks/" + id + "/rollback", null).status()).isEqualTo(401);
    Answer rolling = alice.post("/stacks/" + id + "/rollback", null);
    assertThat(rolling.status()).as(rolling.text()).isEqualTo(202);
    assertThat(rolling.body().path("status").asText()).isEqualTo("UPDATE_ROLLBACK_IN_PROGRESS");
    assertThat(settled(alice, id).path("status").asText()).isEqualTo("UPDATE_ROLLBACK_COMPLETE");
    assertThat(logicalIds(alice, id)).contains("Third").doesNotContain("Never", "Handle");
    Answer stable = alice.post("/stacks/" + id + "/rollback", null);
    assertThat(stable.status()).as(stable.text()).isEqualTo(409);
    assertThat(stable.code()).isEqualTo("InvalidState");
    assertThat(stable.body().path("message").asText()).contains("UPDATE_ROLLBACK_COMPLETE");
  }

  /** templateId and templateVersion say which library template version the stack's current template is. */
  @Test
  void aStacksLibraryTemplateFollowsItsUpdatesAndRollbacks() throws Exception {
    ApiClient alice = newUserWithCloud("alice");
    String library = alice.post("/templates", Map.of("name", "sg", "body", SECURITY_GROUP)).body().path("id").asText();
    Answer made = alice.post("/stacks", Map.of("name", "lib", "templateId", library));
    assertThat(made.status()).as(made.text()).isEqualTo(201);
    String id = made.body().path("id").asText();
    assertThat(settled(alice, id).path("status").asText()).isEqualTo("CREATE_COMPLETE");
    assertSource(alice, id, library, 1);
    assertThat(alice.put("/templates/" + library, Map.of("body", withHandle("Second"))).body().path("latestVersion")
        .asInt()).isEqualTo(2);

    // the library's latest version
    Answer updating = alice.put("/stacks/" + id, Map.of("templateId", library, "parameters", KEEP_SECRET));
    assertThat(updating.status()).as(updating.text()).isEqualTo(202);
    assertThat(updating.body().path("templateVersion").asInt()).isEqualTo(2);
    assertThat(settled(alice, id).path("status").asText()).isEqualTo("UPDATE_COMPLETE");
    assertSource(alice, id, library, 2);
    // the previous template keeps its source
    assertThat(alice.put("/stacks/" + id, Map.of("usePreviousTemplate", true, "parameters",
        Map.of("Secret", "changed"))).status()).isEqualTo(202);
    assertThat(settled(alice, id).path("status").asText()).isEqualTo("UPDATE_COMPLETE");
    assertSource(alice, id, library, 2);
    // a body is no library template
    assertThat(alice.put("/stacks/" + id, Map.of("templateBody", withHandle("Third"), "parameters", KEEP_SECRET))
        .status()).isEqualTo(202);
    assertThat(settled(alice, id).path("status").asText()).isEqualTo("UPDATE_COMPLETE");
    assertSource(alice, id, null, null);
    // a change set of a library version: the stack's once executed
    assertThat(alice.post("/stacks/" + id + "/change-sets", Map.of("name", "back", "templateId", library,
        "templateVersion", 1, "parameters", KEEP_SECRET)).status()).isEqualTo(201);
    assertSource(alice, id, null, null);
    assertThat(alice.post("/stacks/" + id + "/change-sets/back/execute", null).status()).isEqualTo(202);
    assertThat(settled(alice, id).path("status").asText()).isEqualTo("UPDATE_COMPLETE");
    assertSource(alice, id, library, 1);
    // an update from a body that fails and is rolled back: the stack's template is the library's again
    String failing = SECURITY_GROUP.replace("\"Resources\": {", "\"Resources\": {"
        + "\"Handle\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\"},"
        + " \"Never\": {\"Type\": \"AWS::CloudFormation::WaitCondition\","
        + " \"Properties\": {\"Handle\": {\"Ref\": \"Handle\"}, \"Timeout\": \"1\"}}, ");
    assertThat(alice.put("/stacks/" + id, Map.of("templateBody", failing, "parameters", KEEP_SECRET,
        "disableRollback", true)).status()).isEqualTo(202);
    assertThat(settled(alice, id).path("status").asText()).isEqualTo("UPDATE_FAILED");
    assertSource(alice, id, null, null);
    assertThat(alice.post("/stacks/" + id + "/rollback", null).status()).isEqualTo(202);
    assertThat(settled(alice, id).path("status").asText()).isEqualTo("UPDATE_ROLLBACK_COMPLETE");
    assertSource(alice, id, library, 1);
    assertThat(alice.get("/stacks").body().path("items").get(0).path("templateVersion").asInt()).isEqualTo(1);
  }

  /** The stack's view (and its template) names this library template version, or none (a body). */
  void assertSource(ApiClient client, String stack, String templateId, Integer version) {
    JsonNode view = client.get("/stacks/" + stack).body();
    if (templateId == null) {
      assertThat(view.path("templateId").isNull()).as(view.toString()).isTrue();
      assertThat(view.path("templateVersion").isNull()).as(view.toString()).isTrue();
      return;
    }
    assertThat(view.path("templateId").asText()).as(view.toString()).isEqualTo(templateId);
    assertThat(view.path("templateVersion").asInt()).as(view.toString()).isEqualTo(version);
    assertThat(client.get("/stacks/" + stack + "/template").body().path("body").asText()).as("the library's body")
        .isEqualTo(client.get("/templates/" + templateId + "/versions/" + version).body().path("version").path("body")
            .asText());
  }

  @Test
  void eachCloudAccountHasItsOwnCloudsCatalog() throws Exception {
    ApiClient alice = newUser("alice");
    ApiClient bob = newUser("bob");
    var config = org.stacktician.cloudstack.simulator.config.SimulatorConfig.defaults()
        .withHiddenApis(java.util.Set.of("createSecurityGroup", "deleteSecurityGroup"));
    try (var older = org.stacktician.cloudstack.simulator.CloudStackSimulator.start(config)) {
      Answer full = alice.post("/cloud-accounts", cloudAccount("full"));
      assertThat(full.status()).as(full.text()).isEqualTo(201);
      Answer old = alice.post("/cloud-accounts", Map.of("name", "older", "endpoint", older.endpoint().toString(),
          "apiKey", older.credentials().apiKey(), "secretKey", older.credentials().secretKey(), "default", true));
      assertThat(old.status()).as(old.text()).isEqualTo(201);
      String fullId = full.body().path("id").asText();
      String oldId = old.body().path("id").asText();
      assertThat(old.body().path("catalogId").asText()).isNotBlank()
          .isNotEqualTo(full.body().path("catalogId").asText());

      JsonNode fullTypes = alice.get("/cloud-accounts/" + fullId + "/catalog").body();
      JsonNode oldTypes = alice.get("/cloud-accounts/" + oldId + "/catalog").body();
      assertThat(fullTypes.path("resourceTypes").toString()).contains("\"CloudStack::SecurityGroup\"");
      assertThat(oldTypes.path("resourceTypes").toString()).doesNotContain("\"CloudStack::SecurityGroup\"")
          .contains("\"CloudStack::VirtualMachine\"");
      assertThat(oldTypes.path("apiCount").asInt()).isLessThan(fullTypes.path("apiCount").asInt());
      // stored once per distinct listApis answer: the demo account and "full" share one
      assertThat(storedCatalogs()).containsExactlyInAnyOrder(full.body().path("catalogId").asText(),
          old.body().path("catalogId").asText());

      // validation, updates and change sets use the stack's account's catalog
      Answer refused = alice.post("/stacks", Map.of("name", "sg-old", "templateBody", SECURITY_GROUP));
      assertThat(refused.status()).as(refused.text()).isEqualTo(400);
      assertThat(refused.body().path("errors").get(0).path("message").asText())
          .contains("unknown resource type 'CloudStack::SecurityGroup'");
      assertThat(refused.body().path("errors").get(0).path("line").asInt()).isPositive();
      assertThat(alice.post("/stacks", Map.of("name", "sg-full", "templateBody", SECURITY_GROUP,
          "cloudAccountId", fullId)).status()).isEqualTo(201);
      assertThat(settled(alice, alice.get("/stacks").body().path("items").get(0).path("id").asText())
          .path("status").asText()).isEqualTo("CREATE_COMPLETE");
      String plain = created(alice, "plain-old", VALID);
      Answer update = alice.put("/stacks/" + plain, Map.of("templateBody", SECURITY_GROUP));
      assertThat(update.status()).as(update.text()).isEqualTo(400);
      assertThat(update.text()).contains("unknown resource type 'CloudStack::SecurityGroup'");
      Answer changeSet = alice.post("/stacks/" + plain + "/change-sets", Map.of("name", "sg",
          "templateBody", SECURITY_GROUP));
      assertThat(changeSet.status()).as(changeSet.text()).isEqualTo(400);
      assertThat(changeSet.text()).contains("unknown resource type 'CloudStack::SecurityGroup'");

      // the catalog is read again when the account's cloud changes, and on demand
      var sim = server.simulator().orElseThrow();
      Answer moved = alice.put("/cloud-accounts/" + oldId, Map.of("endpoint", sim.endpoint().toString(),
          "apiKey", simulatorCredentials().apiKey(), "secretKey", simulatorCredentials().secretKey()));
      assertThat(moved.status()).as(moved.text()).isEqualTo(200);
      assertThat(moved.body().path("catalogId").asText()).isEqualTo(full.body().path("catalogId").asText());
      // the older cloud's catalog went with the last account that used it, in the same transaction
      assertThat(storedCatalogs()).containsExactly(full.body().path("catalogId").asText());
      Answer grown = alice.put("/stacks/" + plain, Map.of("templateBody", SECURITY_GROUP));
      assertThat(grown.status()).as(grown.text()).isEqualTo(202);
      assertThat(settled(alice, plain).path("status").asText()).isEqualTo("UPDATE_COMPLETE");
      Answer refreshed = alice.post("/cloud-accounts/" + oldId + "/catalog", null);
      assertThat(refreshed.status()).as(refreshed.text()).isEqualTo(200);
      assertThat(refreshed.body().path("resourceTypes").toString()).contains("\"CloudStack::SecurityGroup\"");
      assertThat(java.time.Instant.parse(refreshed.body().path("checkedAt").asText()))
          .isAfterOrEqualTo(java.time.Instant.parse(moved.body().path("catalogCheckedAt").asText()));
      // an account saved before catalogs were kept has its catalog read at its first use
      server.database().jdbi().useHandle(h -> h.createUpdate("UPDATE st_cloud_accounts SET catalog_id = NULL,"
          + " catalog_checked_at = NULL WHERE account_id = :id").bind("id", fullId).execute());
      assertThat(alice.get("/cloud-accounts/" + fullId + "/catalog").body().path("resourceTypes")).isEmpty();
      Answer first = alice.post("/stacks", Map.of("name", "sg-first-use", "templateBody", SECURITY_GROUP,
          "cloudAccountId", fullId));
      assertThat(first.status()).as(first.text()).isEqualTo(201);
      assertThat(alice.get("/cloud-accounts/" + fullId).body().path("catalogId").asText())
          .isEqualTo(full.body().path("catalogId").asText());

      // an account's removal takes the catalog only it used along
      Answer again = alice.post("/cloud-accounts", Map.of("name", "older-again", "endpoint",
          older.endpoint().toString(), "apiKey", older.credentials().apiKey(), "secretKey",
          older.credentials().secretKey()));
      assertThat(again.status()).as(again.text()).isEqualTo(201);
      assertThat(storedCatalogs()).hasSize(2).contains(again.body().path("catalogId").asText());
      assertThat(alice.delete("/cloud-accounts/" + again.body().path("id").asText()).status()).isEqualTo(204);
      assertThat(storedCatalogs()).containsExactly(full.body().path("catalogId").asText());

      assertThat(bob.get("/cloud-accounts/" + oldId + "/catalog").status()).isEqualTo(404);
      assertThat(bob.post("/cloud-accounts/" + oldId + "/catalog", null).status()).isEqualTo(404);
      assertThat(ApiClient.anonymous(server.api()).get("/cloud-accounts/" + oldId + "/catalog").status())
          .isEqualTo(401);
    }
  }

  private List<String> storedCatalogs() {
    return server.database().jdbi().withHandle(h -> h.createQuery("SELECT catalog_id FROM st_cloud_catalogs")
        .mapTo(String.class).list());
  }

  @Test
  void healthSaysOkWithoutAKey() throws Exception {
    try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
      var r = http.send(java.net.http.HttpRequest.newBuilder(server.url().resolve("/health")).GET().build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("ok\n");
    }
  }

  /** Creates a stack and waits until it is CREATE_COMPLETE; returns its id. */
  String created(ApiClient client, String name, String template) throws InterruptedException {
    Answer made = client.post("/stacks", Map.of("name", name, "templateBody", template));
    assertThat(made.status()).as(made.text()).isEqualTo(201);
    String id = made.body().path("id").asText();
    JsonNode done = settled(client, id);
    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("CREATE_COMPLETE");
    return id;
  }

  String output(ApiClient client, String stack, String key) {
    for (JsonNode o : client.get("/stacks/" + stack + "/outputs").body().path("items")) {
      if (o.path("key").asText().equals(key)) {
        return o.path("value").asText();
      }
    }
    throw new AssertionError("stack " + stack + " has no output " + key);
  }

  /** Checks the database's own storage (the raw H2 file) where a subclass can; the marker must be found. */
  void checkStorage(List<String> secrets, String marker) {}

  /** Every column of every row of every table, as text. */
  String dumpAllTables() {
    return server.database().jdbi().withHandle(h -> {
      StringBuilder sb = new StringBuilder();
      List<String> tables = new ArrayList<>();
      try (var rs = h.getConnection().getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
        while (rs.next()) {
          String schema = rs.getString("TABLE_SCHEM");
          if (schema != null && (schema.equalsIgnoreCase("INFORMATION_SCHEMA") || schema.equalsIgnoreCase("pg_catalog"))) {
            continue;
          }
          String name = rs.getString("TABLE_NAME");
          if (name.toLowerCase().startsWith("st_") || name.toLowerCase().startsWith("sm_")
              || name.toLowerCase().contains("scheduled")) {
            tables.add((schema == null ? "" : "\"" + schema + "\".") + "\"" + name + "\"");
          }
        }
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }
      assertThat(tables).hasSizeGreaterThan(8);
      for (String t : tables) {
        for (Map<String, Object> row : h.createQuery("SELECT * FROM " + t).mapToMap().list()) {
          sb.append(t).append(' ').append(row).append('\n');
        }
      }
      return sb.toString();
    });
  }
}
