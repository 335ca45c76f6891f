package org.stacktician.cloudstack.simulator.commands;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.stacktician.cloudstack.simulator.api.CommandDeclaration;
import org.stacktician.cloudstack.simulator.api.ParameterDeclaration;
import org.stacktician.cloudstack.simulator.cloud.Account;
import org.stacktician.cloudstack.simulator.cloud.CloudState;
import org.stacktician.cloudstack.simulator.cloud.Resource;
import org.stacktician.cloudstack.simulator.cloud.ResourceKind;
import org.stacktician.cloudstack.simulator.http.ApiException;

/**
 * A request's parameters, checked against the command's declaration the way CloudStack's
 * ParamProcessWorker does: required ones present, values of the declared type and length;
 * names matched case-insensitively; only the first value of each counts.
 */
public final class Params {
  private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern MAP_KEY = Pattern.compile("([a-zA-Z0-9_]+)\\[(\\d+)]\\.(.+)");

  private final CommandDeclaration declaration;
  private final Map<String, String> values = new HashMap<>();
  private final Map<String, Map<Integer, Map<String, String>>> maps = new HashMap<>();

  /** Reads and checks the raw request parameters; throws 431 for a missing or malformed one. */
  public Params(CommandDeclaration declaration, Map<String, String> raw) {
    this.declaration = declaration;
    for (Map.Entry<String, String> e : raw.entrySet()) {
      String key = e.getKey();
      Matcher m = MAP_KEY.matcher(key);
      if (m.matches()) {
        maps.computeIfAbsent(m.group(1).toLowerCase(Locale.ROOT), k -> new TreeMap<>())
            .computeIfAbsent(Integer.parseInt(m.group(2)), k -> new LinkedHashMap<>())
            .put(m.group(3), e.getValue());
      } else {
        values.putIfAbsent(key.toLowerCase(Locale.ROOT), e.getValue());
      }
    }
    for (ParameterDeclaration p : declaration.parameters()) {
      String name = p.name().toLowerCase(Locale.ROOT);
      String value = values.get(name);
      if ("map".equals(p.type())) {
        if (p.required() && !maps.containsKey(name)) {
          throw ApiException.missingParameter(declaration.name(), p.name());
        }
        continue;
      }
      if (value == null || value.isEmpty()) {
        if (p.required()) {
          throw ApiException.missingParameter(declaration.name(), p.name());
        }
        values.remove(name);
        continue;
      }
      if (value.length() > p.length() && !"userdata".equals(name)) {
        throw ApiException.invalidParameterValue("Value greater than max allowed length " + p.length() + " for param: " + p.name());
      }
      check(p, value);
    }
  }

  private void check(ParameterDeclaration p, String value) {
    boolean ok = switch (p.type()) {
      case "uuid" -> UUID.matcher(value).matches();
      case "integer", "short" -> parses(() -> Integer.parseInt(value.strip()));
      case "long" -> parses(() -> Long.parseLong(value.strip()));
      case "boolean" -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false");
      default -> true;
    };
    if (!ok) {
      if ("uuid".equals(p.type())) {
        throw ApiException.invalidId(declaration.name(), p.name(), value);
      }
      throw ApiException.malformed(declaration.name(), p.name(), p.type(), value);
    }
  }

  private static boolean parses(Runnable parse) {
    try {
      parse.run();
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  public String command() {
    return declaration.name();
  }

  /** The value, or null when absent or empty. */
  public String get(String name) {
    return values.get(name.toLowerCase(Locale.ROOT));
  }

  public boolean has(String name) {
    return get(name) != null;
  }

  public String get(String name, String fallback) {
    String v = get(name);
    return v == null ? fallback : v;
  }

  /** A value the command needs even though listApis marks it optional; 431 when absent. */
  public String require(String name) {
    String v = get(name);
    if (v == null) {
      throw ApiException.missingParameter(declaration.name(), name);
    }
    return v;
  }

  public boolean bool(String name, boolean fallback) {
    String v = get(name);
    return v == null ? fallback : Boolean.parseBoolean(v);
  }

  public Integer integer(String name) {
    String v = get(name);
    return v == null ? null : Integer.valueOf(v.strip());
  }

  public Long longValue(String name) {
    String v = get(name);
    return v == null ? null : Long.valueOf(v.strip());
  }

  /** A comma-separated list parameter, empty when absent. */
  public List<String> list(String name) {
    String v = get(name);
    if (v == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String s : v.split(",")) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }

  /** The entries of a map parameter ({@code name[i].sub=value}), in index order. */
  public List<Map<String, String>> map(String name) {
    Map<Integer, Map<String, String>> m = maps.get(name.toLowerCase(Locale.ROOT));
    return m == null ? List.of() : List.copyOf(m.values());
  }

  /** The resource an id parameter names, among those the caller may see; 431 (CloudStack's not-found answer) otherwise. */
  public Resource resource(CloudState state, Account account, String name, ResourceKind... kinds) {
    Resource r = optionalResource(state, account, name, kinds);
    if (r == null) {
      throw ApiException.missingParameter(declaration.name(), name);
    }
    return r;
  }

  /** Like {@link #resource} but null when the parameter is absent. */
  public Resource optionalResource(CloudState state, Account account, String name, ResourceKind... kinds) {
    String id = get(name);
    if (id == null) {
      return null;
    }
    return lookup(state, account, name, id, kinds);
  }

  /** Resolves each id of a list parameter. */
  public List<Resource> resources(CloudState state, Account account, String name, ResourceKind... kinds) {
    List<Resource> out = new ArrayList<>();
    for (String id : list(name)) {
      out.add(lookup(state, account, name, id, kinds));
    }
    return out;
  }

  Resource lookup(CloudState state, Account account, String name, String id, ResourceKind... kinds) {
    for (ResourceKind k : kinds) {
      Optional<Resource> r = state.find(k, id, account);
      if (r.isPresent()) {
        return r.get();
      }
    }
    throw ApiException.invalidId(declaration.name(), name, id);
  }

  @Override
  public String toString() {
    return declaration.name() + Arrays.toString(values.keySet().toArray());
  }
}
