package org.stacktician.cli.template;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.stacktician.template.LoadResult;
import org.stacktician.template.TemplateLimits;
import org.stacktician.template.TemplateLoader;

/** Reads a template file for the CLI without ever holding more than the size limit in memory. */
public final class TemplateInput {
  private TemplateInput() {}

  /** Thrown when the file cannot be read; the message is for the user. */
  public static final class Unreadable extends Exception {
    Unreadable(String message) {
      super(message);
    }
  }

  /** A template file's text and what the loader made of it (the text is meaningful only when it loaded). */
  public record TemplateText(String body, LoadResult loaded) {}

  public static LoadResult load(Path file, TemplateLimits limits) throws Unreadable {
    return read(file, limits).loaded();
  }

  /** Reads and loads a template file; size and encoding problems are errors of the {@link LoadResult}. */
  public static TemplateText read(Path file, TemplateLimits limits) throws Unreadable {
    byte[] bytes = read(file, limits.bodyBytes());
    return new TemplateText(new String(bytes, StandardCharsets.UTF_8),
        TemplateLoader.load(bytes, file.getFileName().toString(), limits));
  }

  /** The file's bytes, or just past {@code limit} of them (the loader then reports the size error). */
  static byte[] read(Path file, int limit) throws Unreadable {
    try {
      if (Files.isDirectory(file)) {
        throw new Unreadable("Cannot read " + file + ": it is a directory");
      }
      try (InputStream in = Files.newInputStream(file)) {
        return in.readNBytes(limit + 1);
      }
    } catch (NoSuchFileException e) {
      throw new Unreadable("Cannot read " + file + ": no such file");
    } catch (IOException e) {
      throw new Unreadable("Cannot read " + file + ": " + e.getMessage());
    }
  }
}
