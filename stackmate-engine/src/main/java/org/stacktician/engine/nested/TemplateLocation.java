package org.stacktician.engine.nested;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Resolves a nested stack's TemplateURL as CloudFormation users expect: a relative one is relative
 * to the parent template's own location (its file's directory, or its URL), not to the directory
 * the engine happens to run in.
 */
final class TemplateLocation {
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

  private TemplateLocation() {}

  /** {@code url} resolved against {@code parent} (a path or URL; null or a bare name: left as given). */
  static String resolve(String parent, String url) {
    if (parent == null || SCHEME.matcher(url).find()) {
      return url;
    }
    String lower = parent.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      return URI.create(parent).resolve(url).toString();
    }
    if (lower.startsWith("stored:") || Path.of(url).isAbsolute()) {
      return url;
    }
    Path file = lower.startsWith("file:") ? Path.of(URI.create(parent)) : Path.of(parent);
    Path dir = file.getParent();
    return dir == null ? url : dir.resolve(url).normalize().toString();
  }
}
