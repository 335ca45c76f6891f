package org.stacktician.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Real plugin jars for tests: one Java source compiled against the test's class path and packed
 * with its {@code META-INF/services} file, as a plugin author would ship it.
 */
public final class PluginJars {
  private PluginJars() {}

  /**
   * Compiles {@code source} (class {@code className} in package {@code demo}) in {@code work} and
   * packs it as {@code jar}, with {@code services} as the content of {@code META-INF/services/<service>}
   * (null: no services file).
   */
  public static Path build(Path work, Path jar, String className, String source, String service, String services)
      throws IOException {
    Path src = work.resolve("src-" + className);
    Path classes = work.resolve("classes-" + className);
    Files.createDirectories(src.resolve("demo"));
    Files.createDirectories(classes);
    Path file = Files.writeString(src.resolve("demo/" + className + ".java"), source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
        file.toString());
    if (rc != 0) {
      throw new AssertionError("plugin source " + className + " does not compile (see the compiler's output above)");
    }
    Files.createDirectories(jar.getParent());
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      try (Stream<Path> files = Files.walk(classes)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
          out.write(Files.readAllBytes(f));
          out.closeEntry();
        }
      }
      if (services != null) {
        out.putNextEntry(new JarEntry("META-INF/services/" + service));
        out.write(services.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return jar;
  }
}
