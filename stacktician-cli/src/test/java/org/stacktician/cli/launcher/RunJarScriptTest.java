package org.stacktician.cli.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launch scripts' {@code run_jar} (bin/lib/common.sh) on a small jar of its own: output and
 * exit code pass through untouched, a class-data archive per subcommand is written on the first run
 * and reused, a rebuilt jar gets a new one, and {@code STACKTICIAN_CDS=0} writes none.
 */
class RunJarScriptTest {
  private static final Path COMMON_SH = locate("bin/lib/common.sh");

  @TempDir Path dir;
  Path jar;

  @BeforeEach
  void buildJar() throws IOException {
    Path src = dir.resolve("src/Echo.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, """
        public class Echo {
          public static void main(String[] args) {
            System.out.println("{\\"tool\\":\\"" + System.getProperty("stacktician.tool") + "\\",\\"args\\":"
                + args.length + "}");
            if (args.length > 0 && args[args.length - 1].equals("fail")) System.exit(3);
          }
        }
        """);
    Path classes = dir.resolve("classes");
    Files.createDirectories(classes);
    int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), src.toString());
    assertThat(rc).isZero();
    jar = dir.resolve("target/app.jar");
    writeJar();
  }

  private void writeJar() throws IOException {
    Files.createDirectories(jar.getParent());
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Echo");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
      j.putNextEntry(new JarEntry("Echo.class"));
      j.write(Files.readAllBytes(dir.resolve("classes/Echo.class")));
      j.closeEntry();
    }
  }

  private record Run(int exit, String out, String err) {}

  private Run run(Map<String, String> env, String... args) throws Exception {
    String script = "source \"$1\"; shift; STACKTICIAN_JAR=\"$1\"; shift; run_jar stackmate \"$@\"";
    List<String> command = new java.util.ArrayList<>(List.of("bash", "-c", script, "run", COMMON_SH.toString(),
        jar.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("STACKTICIAN_JAVA_OPTS");
    pb.environment().putAll(env);
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("run_jar finished").isTrue();
    return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private List<String> archives() throws IOException {
    Path cds = jar.resolveSibling("cds");
    if (!Files.isDirectory(cds)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(cds)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void outputAndExitCodePassThroughAndAnArchivePerSubcommandIsWrittenOnceAndReused() throws Exception {
    Run first = run(Map.of(), "list-stacks", "-o", "json");
    assertThat(first.out()).isEqualTo("{\"tool\":\"stackmate\",\"args\":3}\n");
    assertThat(first.err()).isEmpty();
    assertThat(first.exit()).isZero();
    List<String> written = archives();
    assertThat(written).singleElement().asString().startsWith("stackmate-list-stacks@").endsWith(".jsa");
    long size = Files.size(jar.resolveSibling("cds").resolve(written.get(0)));

    Run second = run(Map.of(), "list-stacks", "-o", "json");
    assertThat(second.out()).isEqualTo(first.out());
    assertThat(second.err()).as("no JVM message when the archive is used").isEmpty();
    assertThat(archives()).isEqualTo(written);
    assertThat(Files.size(jar.resolveSibling("cds").resolve(written.get(0)))).isEqualTo(size);

    Run failing = run(Map.of(), "-v", "describe-stacks", "fail");
    assertThat(failing.exit()).isEqualTo(3);
    assertThat(archives()).hasSize(2).anySatisfy(a -> assertThat(a).startsWith("stackmate-describe-stacks@"));
  }

  @Test
  void aRebuiltJarGetsANewArchiveAndTheOldOneIsRemoved() throws Exception {
    run(Map.of(), "plan");
    List<String> before = archives();
    writeJar();
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));

    Run after = run(Map.of(), "plan");
    assertThat(after.err()).as("no class-path mismatch complaint").isEmpty();
    assertThat(archives()).hasSize(1).doesNotContainAnyElementsOf(before);
  }

  @Test
  void archivesCanBeTurnedOffAndNoPlaceForThemIsNoObstacle() throws Exception {
    Run off = run(Map.of("STACKTICIAN_CDS", "0"), "types");
    assertThat(off.out()).contains("\"args\":1");
    assertThat(archives()).isEmpty();

    Files.writeString(jar.resolveSibling("cds"), "not a directory"); // no place for archives
    Run nowhere = run(Map.of(), "types");
    assertThat(nowhere.exit()).isZero();
    assertThat(nowhere.out()).isEqualTo(off.out());
    assertThat(nowhere.err()).isEmpty();
  }

  private static Path locate(String relative) {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve(relative))) {
        return p.resolve(relative);
      }
    }
    throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
  }
}
