package org.stacktician.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs Debian's heat-cfntools (cfn-signal, cfn-get-metadata) as a guest would. heat-cfntools
 * reads the metadata server's host from {@code /var/lib/heat-cfntools/cfn-boto-cfg} and its port
 * from {@code /var/lib/heat-cfntools/cfn-metadata-server}; {@link #pointAt} writes both and
 * {@link #close} puts back what was there.
 */
public final class HeatCfnTools implements AutoCloseable {
  private static final Path DATA = Path.of("/var/lib/heat-cfntools");
  private static final Path BOTO = DATA.resolve("cfn-boto-cfg");
  private static final Path SERVER = DATA.resolve("cfn-metadata-server");
  private final Map<Path, byte[]> previous = new HashMap<>();
  private final Path home;

  private HeatCfnTools(Path home) {
    this.home = home;
  }

  /** True when Debian's heat-cfntools are installed. */
  public static boolean installed() {
    return Files.isExecutable(Path.of("/usr/bin/cfn-signal")) && Files.isExecutable(Path.of("/usr/bin/cfn-get-metadata"));
  }

  /** Skips the test (with a message) when the tools are not installed. */
  public static void assumeInstalled() {
    Assumptions.assumeTrue(installed(),
        "Debian's heat-cfntools (cfn-signal, cfn-get-metadata) are not installed; .ci/run installs them");
  }

  /** Configures the tools for a metadata API at {@code base} (host and port). */
  public static HeatCfnTools pointAt(URI base, Path home) throws IOException {
    assumeInstalled();
    HeatCfnTools tools = new HeatCfnTools(home);
    Files.createDirectories(DATA);
    for (Path f : List.of(BOTO, SERVER)) {
      if (Files.exists(f)) {
        tools.previous.put(f, Files.readAllBytes(f));
      }
    }
    Files.writeString(BOTO, "[Boto]\ndebug = 0\ncfn_region_name = zone1\ncfn_region_endpoint = " + base.getHost() + "\n");
    Files.writeString(SERVER, base.toString());
    return tools;
  }

  /** What a tool run ended with. */
  public record Result(int exitCode, String output) {}

  /** Runs a tool, asserts exit code 0, returns its output (stdout and stderr). */
  public String run(String... command) throws IOException, InterruptedException {
    Result r = attempt(command);
    if (r.exitCode() != 0) {
      throw new AssertionError(List.of(command) + " exited with " + r.exitCode() + ", output:\n" + r.output());
    }
    return r.output();
  }

  /** Runs a tool and returns its exit code and output. */
  public Result attempt(String... command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(command));
    cmd.set(0, "/usr/bin/" + cmd.get(0));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.toLowerCase().contains("proxy"));
    pb.environment().put("HOME", home.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(List.of(command) + " did not end within 60 s; output:\n" + out);
    }
    return new Result(p.exitValue(), out);
  }

  /** The JSON document a tool printed after its log lines. */
  public static String json(String output) {
    int at = output.startsWith("{") ? 0 : output.indexOf("\n{") + 1;
    return output.substring(at).strip();
  }

  @Override
  public void close() throws IOException {
    for (Path f : List.of(BOTO, SERVER)) {
      if (previous.containsKey(f)) {
        Files.write(f, previous.get(f));
      } else {
        Files.deleteIfExists(f);
      }
    }
  }
}
