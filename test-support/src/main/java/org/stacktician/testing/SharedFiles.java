package org.stacktician.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Access to the conformance material in {@code ../shared}: tests that read it are skipped, with a
 * plain message, when it is absent, and fail when {@code STACKTICIAN_REQUIRE_SHARED=1} (as in CI).
 */
public final class SharedFiles {
  /** Environment variable that turns a missing {@code ../shared} from a skip into a failure. */
  public static final String REQUIRE_ENV = "STACKTICIAN_REQUIRE_SHARED";

  private SharedFiles() {}

  /** The shared directory, or a skipped (or, when required, failed) test if it is missing. */
  public static Path root() {
    Path dir = locate();
    if (dir != null) {
      return dir;
    }
    String message =
        "Conformance suite skipped: ../shared (the conformance material) is not beside this clone."
            + " Set stacktician.shared.dir or place it at ../shared to run it.";
    if ("1".equals(System.getenv(REQUIRE_ENV)) || "true".equals(System.getenv(REQUIRE_ENV))) {
      throw new AssertionError(message.replace("skipped", "required") + " (" + REQUIRE_ENV + " is set)");
    }
    System.err.println("[conformance] " + message);
    Assumptions.abort(message);
    return null; // unreachable
  }

  /** A file or directory inside the shared directory, e.g. {@code resolve("cloudstack/listApis-4.18.json")}. */
  public static Path resolve(String relative) {
    Path p = root().resolve(relative);
    if (!Files.exists(p)) {
      throw new AssertionError("Conformance file missing from shared directory: " + p);
    }
    return p;
  }

  /** True when the shared directory is present (for parameterized sources that must not throw). */
  public static boolean present() {
    return locate() != null;
  }

  private static Path locate() {
    String configured = System.getProperty("stacktician.shared.dir");
    if (configured != null && Files.isDirectory(Path.of(configured))) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolveSibling("shared");
      if (Files.isDirectory(candidate.resolve("reference")) && Files.exists(p.resolve("pom.xml"))) {
        return candidate.normalize();
      }
    }
    return null;
  }
}
