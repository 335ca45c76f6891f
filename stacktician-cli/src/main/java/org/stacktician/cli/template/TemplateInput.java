package org.stacktician.cli.template;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.stacktician.template.LoadResult;
import org.stacktician.template.TemplateLimits;
import org.stacktician.template.TemplateLoader;

/** Reads a template file for the CLI without ever holding more than the size limit in memory. */
final class TemplateInput {
  private TemplateInput() {}

  /** Thrown when the file cannot be read; the message is for the user. */
  static final class Unreadable extends Exception {
    Unreadable(String message) {
      super(message);
    }
  }

  static LoadResult load(Path file, TemplateLimits limits) throws Unreadable {
    return TemplateLoader.load(read(file, limits.bodyBytes()), file.getFileName().toString(), limits);
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
