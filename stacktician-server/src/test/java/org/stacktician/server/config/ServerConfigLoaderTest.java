package org.stacktician.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.server.config.ServerConfigLoader.Key;

/** File, then environment, then flags; clear refusals naming the key and its source. */
class ServerConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void defaultsAreEmbeddedLoopbackWithTheDemo() {
    ServerConfig c = ServerConfigLoader.load(null, Map.of(), Map.of());
    assertThat(c.listenAddress()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(ServerConfig.DEFAULT_PORT);
    assertThat(c.embeddedDatabase()).isTrue();
    assertThat(c.demo()).isTrue();
    assertThat(c.dataDir()).isEqualTo(Path.of(System.getProperty("user.home"), ".stacktician"));
  }

  @Test
  void yamlThenEnvironmentThenFlagsLaterWinning() throws Exception {
    Path yaml = dir.resolve("server.yaml");
    Files.writeString(yaml, """
        port: 9000
        listen-address: 0.0.0.0
        database:
          url: jdbc:postgresql://db:5432/st
          user: st
          password: from-file
        public-url: https://st.example.com/
        demo: false
        """);
    ServerConfig c = ServerConfigLoader.load(yaml, Map.of("STACKTICIAN_PORT", "9001",
        "STACKTICIAN_DATABASE_PASSWORD", "from-env"), Map.of(Key.PORT, "9002"));
    assertThat(c.port()).isEqualTo(9002);
    assertThat(c.listenAddress()).isEqualTo("0.0.0.0");
    assertThat(c.databaseUrl()).isEqualTo("jdbc:postgresql://db:5432/st");
    assertThat(c.databaseUser()).isEqualTo("st");
    assertThat(c.databasePassword()).isEqualTo("from-env");
    assertThat(c.publicUrl()).isEqualTo(URI.create("https://st.example.com/"));
    assertThat(c.demo()).isFalse();
    assertThat(c.toString()).doesNotContain("from-env");
  }

  @Test
  void propertiesFile() throws Exception {
    Path props = dir.resolve("server.properties");
    Files.writeString(props, "data-dir=" + dir.resolve("data") + "\nencryption-key=abc\n");
    ServerConfig c = ServerConfigLoader.load(props, Map.of(), Map.of());
    assertThat(c.dataDir()).isEqualTo(dir.resolve("data"));
    assertThat(c.encryptionKey()).isEqualTo("abc");
    assertThat(c.toString()).doesNotContain("abc");
  }

  @Test
  void refusalsSayWhichKeyAndWhere() throws Exception {
    Path props = dir.resolve("bad.properties");
    Files.writeString(props, "prot=80\n");
    assertThatThrownBy(() -> ServerConfigLoader.load(props, Map.of(), Map.of()))
        .hasMessageContaining("unknown key 'prot' in " + props).hasMessageContaining("port");
    assertThatThrownBy(() -> ServerConfigLoader.load(null, Map.of("STACKTICIAN_PORT", "eighty"), Map.of()))
        .hasMessageContaining("port from environment variable STACKTICIAN_PORT is 'eighty'");
    assertThatThrownBy(() -> ServerConfigLoader.load(null, Map.of(), Map.of(Key.DATABASE_URL, "mysql://x")))
        .hasMessageContaining("database.url from the command line must be a jdbc:postgresql:");
    assertThatThrownBy(() -> ServerConfigLoader.load(null, Map.of(), Map.of(Key.PUBLIC_URL, "not a url")))
        .hasMessageContaining("public-url from the command line");
    assertThatThrownBy(() -> ServerConfigLoader.load(dir.resolve("missing.yaml"), Map.of(), Map.of()))
        .hasMessageContaining("no such file");
    Files.writeString(dir.resolve("x.conf"), "port=1\n");
    assertThatThrownBy(() -> ServerConfigLoader.load(dir.resolve("x.conf"), Map.of(), Map.of()))
        .hasMessageContaining(".properties, .yaml or .yml");
  }
}
