package org.stacktician.cloudstack.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cloudstack.client.LoopbackCloudStack.Answer;

/** https endpoints: a private CA is trusted only when given (certificate made with the JDK's keytool). */
class TlsTrustTest {

  @TempDir
  static Path dir;
  static Path caPem;
  static LoopbackCloudStack cloud;

  @BeforeAll
  static void startTlsServer() throws Exception {
    Path keystore = dir.resolve("server.p12");
    caPem = dir.resolve("ca.pem");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(keytool, "-genkeypair", "-alias", "cloud", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-storetype", "PKCS12",
        "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit");
    run(keytool, "-exportcert", "-rfc", "-alias", "cloud", "-keystore", keystore.toString(),
        "-storepass", "changeit", "-file", caPem.toString());
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    cloud = LoopbackCloudStack.startTls(context);
    cloud.on("listZones", Answer.ok("{\"listzonesresponse\":{\"count\":1,\"zone\":[{\"id\":\"z\"}]}}"));
  }

  @AfterAll
  static void stop() {
    cloud.close();
  }

  @Test
  void aGivenCaIsTrusted() {
    try (CloudStackClient client = cloud.clientBuilder().trustCa(caPem).build()) {
      assertThat(client.endpoint().getScheme()).isEqualTo("https");
      assertThat(client.list("listZones", Map.of())).hasSize(1);
    }
  }

  @Test
  void anUnknownCaIsRefusedWithATlsMessage() {
    try (CloudStackClient client = cloud.clientBuilder().build()) {
      assertThatThrownBy(() -> client.list("listZones", Map.of()))
          .isInstanceOf(CloudStackTransportException.class)
          .hasMessageContaining("TLS failure");
    }
  }

  @Test
  void aMissingCaFileIsAClearError() {
    assertThatThrownBy(() -> cloud.clientBuilder().trustCa(dir.resolve("nope.pem")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CA file not found");
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }
}
