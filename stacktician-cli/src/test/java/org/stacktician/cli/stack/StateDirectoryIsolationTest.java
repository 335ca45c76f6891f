package org.stacktician.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileInputStream;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cli.CliProcess;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;
import org.stacktician.engine.state.H2StateFile;
import org.stacktician.engine.state.StoreKey;

/**
 * Another local user against a running {@code stackmate create-stack} (a real process waiting on a
 * wait condition): as {@code nobody} (through {@code setpriv}) it cannot read the state directory's
 * lock file, cannot log in to the database through loopback (not even with the server's id and
 * port, which the test hands it), cannot reach it on the machine's other addresses, and the key
 * cannot be read through the database, not even by the engine's own database user.
 */
class StateDirectoryIsolationTest {
  static final String WAITING_TEMPLATE = """
      {"Resources": {"Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"},
                     "Wait": {"Type": "AWS::CloudFormation::WaitCondition",
                              "Properties": {"Handle": {"Ref": "Handle"}, "Timeout": "900"}}}}
      """;

  @TempDir Path tmp;

  @Test
  void anotherLocalUserCannotReadTheLockFileNorOpenTheDatabase() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv")),
        "needs root and setpriv to act as another user");
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x")); // only the state dir protects
    Path state = tmp.resolve("state");
    Path template = Files.writeString(tmp.resolve("wait.json"), WAITING_TEMPLATE);
    Path tools = Files.createDirectories(tmp.resolve("tools"));
    Path h2 = Files.copy(Path.of(org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI()),
        tools.resolve("h2.jar"), StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(h2, PosixFilePermissions.fromString("rw-r--r--"));

    try (CloudStackSimulator simulator = CloudStackSimulator.start()) {
      CliProcess creating = CliProcess.start(tmp.resolve("create.log"), List.of("create-stack", "waiting",
          "--template-file", template.toString(), "--state-dir", state.toString(),
          "--endpoint", simulator.endpoint().toString(), "--api-key", simulator.credentials().apiKey(),
          "--secret-key", simulator.credentials().secretKey()));
      Process create = creating.process();
      Path log = creating.log();
      try {
        Path lockFile = state.resolve("stackmate.lock.db");
        Properties lock = awaitServingLock(create, lockFile, log);
        String[] server = lock.getProperty("server").split(":");
        int port = Integer.parseInt(server[server.length - 1]);
        String serverId = lock.getProperty("id");
        Path keyFile = state.resolve(StoreKey.FILE_NAME);
        String key = Files.readString(keyFile).strip();
        creating.awaitOutput(java.util.regex.Pattern.compile("Wait +AWS::CloudFormation::WaitCondition +CREATE_IN_PROGRESS"),
            Duration.ofSeconds(120));

        // The directory and its files are the owner's alone.
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
        NobodyRun cat = asNobody("cat", lockFile.toString());
        assertThat(cat.exit()).isNotZero();
        assertThat(cat.output()).contains("Permission denied").doesNotContain(serverId);
        assertThat(asNobody("cat", keyFile.toString()).output()).contains("Permission denied").doesNotContain(key);

        // Through loopback: even given the server's port and id, no login without the key.
        String loopback = "jdbc:h2:tcp://127.0.0.1:" + port + "/" + serverId;
        for (List<String> login : List.of(List.of("sa", ""), List.of(H2StateFile.APPLICATION_USER, "guess"),
            List.of(H2StateFile.OWNER_USER, key))) {
          NobodyRun shell = asNobody(h2Shell(h2, loopback, login.get(0), login.get(1),
              "SELECT FILE_READ('" + keyFile + "')"));
          assertThat(shell.output()).as("%s through loopback", login.get(0))
              .contains("Wrong user name or password").doesNotContain(key);
        }
        NobodyRun guessedId = asNobody(h2Shell(h2, "jdbc:h2:tcp://127.0.0.1:" + port + "/" + state + "/stackmate",
            "sa", "", "SELECT 1"));
        assertThat(guessedId.output()).contains("Wrong user name or password");

        // On the machine's other addresses nothing listens.
        List<InetAddress> others = otherAddresses();
        assertThat(others).as("the machine's addresses besides loopback").isNotEmpty();
        for (InetAddress address : others) {
          try (Socket socket = new Socket()) {
            assertThatThrownBy(() -> socket.connect(new InetSocketAddress(address, port), 2000))
                .as("%s:%d", address, port).isInstanceOf(IOException.class);
          }
          String host = address instanceof Inet6Address ? "[" + address.getHostAddress().replaceAll("%.*", "") + "]"
              : address.getHostAddress();
          NobodyRun remote = asNobody(h2Shell(h2, "jdbc:h2:tcp://" + host + ":" + port + "/" + serverId, "sa", "",
              "SELECT 1"));
          assertThat(remote.output()).as("%s", address).containsAnyOf("Connection refused", "Connection is broken")
              .doesNotContain("Wrong user name");
        }

        // Even the engine's own database user (whose password only the key gives) cannot read the key file.
        StoreKey storeKey = StoreKey.fromBase64(key, "the test");
        try (Connection c = DriverManager.getConnection(loopback, H2StateFile.APPLICATION_USER,
            H2StateFile.applicationLogin(state.resolve("stackmate"), storeKey, true).password()); Statement s = c.createStatement()) {
          assertThatThrownBy(() -> s.executeQuery("SELECT FILE_READ('" + keyFile + "')"))
              .isInstanceOf(SQLException.class).hasMessageContaining("Admin rights are required");
        }
        assertThat(create.isAlive()).as("create-stack still waits: " + Files.readString(log)).isTrue();
      } finally {
        create.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  private static Properties awaitServingLock(Process create, Path lockFile, Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      assertThat(create.isAlive()).as("create-stack ended early: " + Files.readString(log)).isTrue();
      assertThat(System.nanoTime()).as("the lock file never named its server").isLessThan(deadline);
      if (Files.exists(lockFile)) {
        Properties p = new Properties();
        try (FileInputStream in = new FileInputStream(lockFile.toFile())) {
          p.load(in);
        } catch (IOException e) {
          continue; // being written
        }
        if (p.getProperty("server") != null && p.getProperty("id") != null) {
          return p;
        }
      }
      Thread.sleep(100);
    }
  }

  private static List<InetAddress> otherAddresses() throws IOException {
    List<InetAddress> found = new ArrayList<>();
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (!a.isLinkLocalAddress()) {
            found.add(a);
          }
        }
      }
    }
    return found;
  }

  private static String[] h2Shell(Path h2, String url, String user, String password, String sql) {
    return new String[] {Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:-UsePerfData",
        "-cp", h2.toString(), "org.h2.tools.Shell", "-url", url, "-user", user, "-password", password, "-sql", sql};
  }

  private record NobodyRun(int exit, String output) {}

  private static NobodyRun asNobody(String... command) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
    cmd.addAll(List.of(command));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).directory(Path.of("/").toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new NobodyRun(p.exitValue(), out);
  }
}
