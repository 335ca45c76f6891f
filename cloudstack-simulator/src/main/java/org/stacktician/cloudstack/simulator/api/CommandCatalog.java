package org.stacktician.cloudstack.simulator.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The declarations of every command the simulator implements, read from the project's own
 * resource {@code commands-4.18.txt} (grammar in that file's header).
 */
public final class CommandCatalog {
  private static final String RESOURCE = "commands-4.18.txt";
  private static volatile CommandCatalog builtIn;

  private final Map<String, CommandDeclaration> commands;

  private CommandCatalog(Map<String, CommandDeclaration> commands) {
    this.commands = Collections.unmodifiableMap(commands);
  }

  /** The catalog bundled with the simulator (parsed once). */
  public static CommandCatalog builtIn() {
    CommandCatalog c = builtIn;
    if (c == null) {
      try (InputStream in = CommandCatalog.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("simulator resource " + RESOURCE + " is missing from the class path");
        }
        c = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      builtIn = c;
    }
    return c;
  }

  /** Parses declarations in the resource grammar; throws with the line number on a malformed line. */
  public static CommandCatalog parse(String text) {
    Map<String, List<ResponseField>> objects = new LinkedHashMap<>();
    Map<String, CommandDeclaration> commands = new LinkedHashMap<>();
    List<ResponseField> currentObject = null;
    String[] header = null;
    String description = "";
    List<ParameterDeclaration> params = null;
    int lineNo = 0;
    try (BufferedReader reader = new BufferedReader(new java.io.StringReader(text))) {
      for (String line; (line = reader.readLine()) != null; ) {
        lineNo++;
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
          continue;
        }
        if (line.startsWith("object ")) {
          if (header != null) {
            put(commands, header, description, params, objects, lineNo);
            header = null;
          }
          currentObject = new ArrayList<>();
          objects.put(trimmed.substring("object ".length()).strip(), currentObject);
        } else if (line.startsWith("command ")) {
          if (header != null) {
            put(commands, header, description, params, objects, lineNo);
          }
          currentObject = null;
          header = trimmed.split("\\s+");
          if (header.length != 4) {
            throw new IllegalArgumentException("line " + lineNo + ": expected 'command <name> <sync|async> <object>'");
          }
          description = "";
          params = new ArrayList<>();
        } else if (currentObject != null) {
          for (String pair : trimmed.split("\\s+")) {
            int colon = pair.indexOf(':');
            if (colon <= 0) {
              throw new IllegalArgumentException("line " + lineNo + ": expected name:type, got '" + pair + "'");
            }
            currentObject.add(new ResponseField(pair.substring(0, colon), pair.substring(colon + 1)));
          }
        } else if (header != null && trimmed.startsWith(":")) {
          description = trimmed.substring(1).strip();
        } else if (header != null) {
          params.add(parameter(trimmed, lineNo));
        } else {
          throw new IllegalArgumentException("line " + lineNo + ": unexpected '" + trimmed + "'");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (header != null) {
      put(commands, header, description, params, objects, lineNo);
    }
    return new CommandCatalog(commands);
  }

  private static ParameterDeclaration parameter(String line, int lineNo) {
    String[] parts = line.split("\\s+");
    if (parts.length < 2) {
      throw new IllegalArgumentException("line " + lineNo + ": expected '<param> <type> [required] [length=N]'");
    }
    boolean required = false;
    int length = ParameterDeclaration.DEFAULT_LENGTH;
    for (int i = 2; i < parts.length; i++) {
      if (parts[i].equals("required")) {
        required = true;
      } else if (parts[i].startsWith("length=")) {
        length = Integer.parseInt(parts[i].substring("length=".length()));
      } else {
        throw new IllegalArgumentException("line " + lineNo + ": unknown flag '" + parts[i] + "'");
      }
    }
    return new ParameterDeclaration(parts[0], parts[1], required, length);
  }

  private static void put(Map<String, CommandDeclaration> commands, String[] header, String description,
      List<ParameterDeclaration> params, Map<String, List<ResponseField>> objects, int lineNo) {
    List<ResponseField> fields = objects.get(header[3]);
    if (fields == null) {
      throw new IllegalArgumentException("near line " + lineNo + ": command " + header[1] + " names unknown object " + header[3]);
    }
    boolean async = switch (header[2]) {
      case "async" -> true;
      case "sync" -> false;
      default -> throw new IllegalArgumentException("near line " + lineNo + ": expected sync or async, got " + header[2]);
    };
    commands.put(header[1], new CommandDeclaration(header[1], description, async, header[3], params, fields));
  }

  /** The declaration of a command, matched exactly as CloudStack does (case-sensitive names). */
  public Optional<CommandDeclaration> command(String name) {
    return Optional.ofNullable(commands.get(name));
  }

  /** Every declared command in declaration order. */
  public Collection<CommandDeclaration> commands() {
    return commands.values();
  }
}
