package org.stacktician.engine.provider.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.stacktician.cloudstack.client.catalog.EditDistance;
import org.stacktician.engine.provider.PropertyError;
import org.stacktician.engine.provider.ProviderContext;
import org.stacktician.engine.provider.ResourceHandler;
import org.stacktician.engine.provider.ResourceProvider;
import org.stacktician.engine.provider.Values;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every resource type the engine can run, and the handler for each: the built-in providers,
 * providers given by the embedding code (e.g. nested stacks), providers found with {@link
 * ServiceLoader} on the classpath, and providers in the jars of a plugins directory. Two
 * providers claiming one type, or a plugin that fails to load, are rejected at build time with a
 * {@link PluginLoadException} naming the plugin and the type.
 *
 * <pre>{@code
 * ProviderRegistry registry = ProviderRegistry.builder(baseContext)
 *     .builtIns()                  // CloudStack::*, AWS::*, wait conditions, custom resources
 *     .provider(nestedStacks)      // the engine's AWS::CloudFormation::Stack
 *     .classpathPlugins()
 *     .pluginsDir(Path.of("plugins"))
 *     .build();
 * registry.handler("CloudStack::VirtualMachine").orElseThrow();
 * }</pre>
 */
public final class ProviderRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(ProviderRegistry.class);

  private final ProviderContext baseContext;
  private final Map<String, Claim> exact;
  private final Map<String, Claim> prefixes;
  private final Map<String, String> aliases;
  /** What this registry was built from, to build it again over another base context ({@link #over}). */
  private final List<Claim> claims;
  private final Map<String, String> declaredAliases;

  private ProviderRegistry(
      ProviderContext baseContext,
      Map<String, Claim> exact,
      Map<String, Claim> prefixes,
      Map<String, String> aliases,
      List<Claim> claims,
      Map<String, String> declaredAliases) {
    this.baseContext = baseContext;
    this.exact = exact;
    this.prefixes = prefixes;
    this.aliases = aliases;
    this.claims = claims;
    this.declaredAliases = declaredAliases;
  }

  /**
   * The same providers over another base context, e.g. one with another cloud's {@code CloudStack::} catalog: the
   * types each provider claims are listed again there.
   *
   * @throws PluginLoadException as {@link Builder#build()} does
   */
  public ProviderRegistry over(ProviderContext otherBase) {
    Builder b = new Builder(otherBase);
    b.providers.addAll(claims);
    b.aliases.putAll(declaredAliases);
    return b.build();
  }

  /** Starts a registry over a base context (one without a stack). */
  public static Builder builder(ProviderContext baseContext) {
    return new Builder(baseContext);
  }

  /**
   * Every built-in provider, nested stacks included, for what handlers declare (update rules,
   * properties) without running anything: {@code stackmate types} and change sets outside an engine.
   */
  public static ProviderRegistry describing(ProviderContext baseContext) {
    return builder(baseContext).builtIns()
        .provider(org.stacktician.engine.nested.NestedStackProvider.describing()).build();
  }

  /**
   * The usual registry: built-ins, the given extra providers, classpath plugins and the jars in
   * {@code pluginsDir} (null for none).
   */
  public static ProviderRegistry load(
      ProviderContext baseContext, List<ResourceProvider> extra, Path pluginsDir) {
    Builder b = builder(baseContext).builtIns().classpathPlugins();
    extra.forEach(b::provider);
    if (pluginsDir != null) {
      b.pluginsDir(pluginsDir);
    }
    return b.build();
  }

  /** The handler of a type (aliases such as {@code StackMate::WaitCondition} included). */
  public Optional<ResourceHandler> handler(String type) {
    Claim claim = claimOf(type);
    if (claim == null) {
      return Optional.empty();
    }
    return claim.provider().handler(canonical(type), baseContext);
  }

  /** Every exact type known (prefix families such as {@code Custom::} are listed by {@link #typePrefixes()}). */
  public Set<String> types() {
    return Collections.unmodifiableSet(knownTypes());
  }

  /** Type-family prefixes claimed in full, e.g. {@code Custom::}. */
  public Set<String> typePrefixes() {
    return Collections.unmodifiableSet(new TreeSet<>(prefixes.keySet()));
  }

  /** True when some provider handles the type. */
  public boolean supports(String type) {
    return claimOf(type) != null;
  }

  /** The name of the provider that handles a type. */
  public Optional<String> providerName(String type) {
    return Optional.ofNullable(claimOf(type)).map(c -> c.provider().name());
  }

  /**
   * Every problem a plan's included resources have before creation, positioned in the template,
   * NoEcho values masked: {@link org.stacktician.engine.check.PropertyChecks#beforeCreation}.
   */
  public List<org.stacktician.template.TemplateError> check(org.stacktician.template.Plan plan) {
    return org.stacktician.engine.check.PropertyChecks.beforeCreation(this, plan);
  }

  /**
   * Checks a resource's properties before creation, when values that come from other resources
   * are still intrinsic functions. This is the one rule for every type (generated, AWS::, built-in,
   * plugin): the handler checks everything, and a problem is kept when it is about a property's
   * name, or when the value it names is fully known now; a problem with a value that is, or holds at any depth, a function resolving
   * at run time is left to {@link #validateResolved}, which runs on the same property once resolved,
   * before the create call. An unknown type gives one error whose property is {@code Type}.
   */
  public List<PropertyError> validate(String type, ObjectNode properties) {
    ObjectNode props = properties == null ? JsonNodeFactory.instance.objectNode() : properties;
    if (!supports(type)) {
      return validateResolved(type, props);
    }
    return validateResolved(type, props).stream()
        .filter(e -> e.about() == PropertyError.About.NAME || !Values.containsUnresolved(Values.at(props, e.property())))
        .toList();
  }

  /** Checks a resource's resolved properties fully (every value known), just before its create call. */
  public List<PropertyError> validateResolved(String type, ObjectNode properties) {
    Optional<ResourceHandler> handler = handler(type);
    if (handler.isEmpty()) {
      // Type names share long prefixes (AWS::EC2::), so fewer edits count as close than for properties.
      String wanted = type == null ? "" : type;
      List<String> close = EditDistance.closest(wanted, knownTypes(), 3, Math.max(2, wanted.length() / 5));
      return List.of(new PropertyError("Type", "names an unknown resource type '" + type + "'"
          + (close.isEmpty() ? "" : "; did you mean " + String.join(", ", close) + "?")));
    }
    return handler.get().validate(properties == null ? JsonNodeFactory.instance.objectNode() : properties);
  }

  /** Every exact type and alias, for "did you mean" hints. */
  private Set<String> knownTypes() {
    Set<String> all = new TreeSet<>(exact.keySet());
    all.addAll(aliases.keySet());
    return all;
  }

  /** The current name of a type: aliases resolved, the original's {@code StackMate::CloudStackX} read as {@code CloudStack::X}. */
  public String canonical(String type) {
    String t = aliases.getOrDefault(type, type);
    if (t.startsWith(LEGACY_CLOUDSTACK_PREFIX) && !exact.containsKey(t)) {
      String modern = "CloudStack::" + t.substring(LEGACY_CLOUDSTACK_PREFIX.length());
      t = aliases.getOrDefault(modern, modern);
    }
    return t;
  }

  /** The original's class-name style for generated types, e.g. {@code StackMate::CloudStackVPC}. */
  private static final String LEGACY_CLOUDSTACK_PREFIX = "StackMate::CloudStack";

  private Claim claimOf(String type) {
    if (type == null) {
      return null;
    }
    String t = canonical(type);
    Claim c = exact.get(t);
    if (c != null) {
      return c;
    }
    for (Map.Entry<String, Claim> e : prefixes.entrySet()) {
      if (t.startsWith(e.getKey()) && t.length() > e.getKey().length()) {
        return e.getValue();
      }
    }
    return null;
  }

  private record Claim(ResourceProvider provider, String origin) {
    String describe() {
      return "provider '" + provider.name() + "' (" + origin + ")";
    }
  }

  /** Collects providers and checks their claims. */
  public static final class Builder {
    private final ProviderContext baseContext;
    private final List<Claim> providers = new ArrayList<>();
    private final Map<String, String> aliases = new LinkedHashMap<>();

    private Builder(ProviderContext baseContext) {
      this.baseContext = Objects.requireNonNull(baseContext, "baseContext");
    }

    /** Adds the built-in providers (see {@link BuiltInProviders}). */
    public Builder builtIns() {
      for (ResourceProvider p : BuiltInProviders.all()) {
        providers.add(new Claim(p, "built-in"));
      }
      aliases.putAll(BuiltInProviders.aliases());
      return this;
    }

    /** Adds a provider supplied by the embedding code. */
    public Builder provider(ResourceProvider provider) {
      providers.add(new Claim(Objects.requireNonNull(provider, "provider"), "engine"));
      return this;
    }

    /** Adds every provider that {@link ServiceLoader} finds on this class's class loader. */
    public Builder classpathPlugins() {
      loadFrom(ServiceLoader.load(ResourceProvider.class, ProviderRegistry.class.getClassLoader()),
          "classpath");
      return this;
    }

    /**
     * Adds the providers in every {@code *.jar} of a directory. Each jar gets its own class
     * loader (parent: the engine's), so plugins cannot see each other's classes.
     *
     * @throws PluginLoadException when the directory cannot be read or a jar fails to load
     */
    public Builder pluginsDir(Path dir) {
      if (!Files.isDirectory(dir)) {
        throw new PluginLoadException("plugins directory " + dir + " does not exist or is not a directory");
      }
      List<Path> jars;
      try (Stream<Path> files = Files.list(dir)) {
        jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
      } catch (IOException e) {
        throw new PluginLoadException("cannot read plugins directory " + dir + ": " + e.getMessage(), e);
      }
      for (Path jar : jars) {
        URL url;
        try {
          url = jar.toUri().toURL();
        } catch (MalformedURLException e) {
          throw new PluginLoadException("plugin " + jar + " has no usable URL: " + e.getMessage(), e);
        }
        URLClassLoader loader = new URLClassLoader(
            "plugin " + jar.getFileName(), new URL[] {url}, ProviderRegistry.class.getClassLoader());
        int before = providers.size();
        loadFrom(ServiceLoader.load(ResourceProvider.class, loader), "plugin " + jar.getFileName());
        // ServiceLoader on a child loader also sees the parent's providers: keep only the jar's own.
        providers.subList(before, providers.size()).removeIf(
            c -> c.provider().getClass().getClassLoader() != loader);
        if (providers.size() == before) {
          throw new PluginLoadException("plugin " + jar.getFileName() + " declares no "
              + ResourceProvider.class.getName() + " in META-INF/services");
        }
      }
      return this;
    }

    private void loadFrom(ServiceLoader<ResourceProvider> loader, String origin) {
      Iterator<ResourceProvider> it = loader.iterator();
      while (true) {
        ResourceProvider p;
        try {
          if (!it.hasNext()) {
            return;
          }
          p = it.next();
        } catch (ServiceConfigurationError | LinkageError e) {
          throw new PluginLoadException(origin + " failed to load: " + rootMessage(e), e);
        }
        boolean already = providers.stream().anyMatch(c -> c.provider().getClass() == p.getClass());
        if (!already) {
          providers.add(new Claim(p, origin));
        }
      }
    }

    /**
     * Checks every claim and builds the registry.
     *
     * @throws PluginLoadException when two providers claim one type or prefix, or a provider
     *     fails while listing its types
     */
    public ProviderRegistry build() {
      Map<String, Claim> exact = new LinkedHashMap<>();
      Map<String, Claim> prefixes = new LinkedHashMap<>();
      for (Claim claim : providers) {
        Set<String> types;
        Set<String> prefixSet;
        try {
          types = claim.provider().types(baseContext);
          prefixSet = claim.provider().typePrefixes(baseContext);
        } catch (RuntimeException | LinkageError e) {
          throw new PluginLoadException(claim.describe() + " failed to list its types: " + rootMessage(e), e);
        }
        for (String type : types) {
          Claim other = exact.putIfAbsent(type, claim);
          if (other != null) {
            throw new PluginLoadException("type '" + type + "' is claimed twice: by "
                + other.describe() + " and by " + claim.describe());
          }
        }
        for (String prefix : prefixSet) {
          Claim other = prefixes.putIfAbsent(prefix, claim);
          if (other != null) {
            throw new PluginLoadException("type family '" + prefix + "*' is claimed twice: by "
                + other.describe() + " and by " + claim.describe());
          }
        }
      }
      Map<String, String> usable = new LinkedHashMap<>();
      aliases.forEach((alias, target) -> {
        if (!exact.containsKey(alias) && exact.containsKey(target)) {
          usable.put(alias, target);
        }
      });
      LOG.debug("provider registry: {} types, {} prefixes, {} aliases", exact.size(), prefixes.size(), usable.size());
      return new ProviderRegistry(baseContext, Map.copyOf(exact), Map.copyOf(prefixes), Map.copyOf(usable),
          List.copyOf(providers), Map.copyOf(aliases));
    }

    private static String rootMessage(Throwable e) {
      Throwable t = e;
      StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
      while (t.getCause() != null && t.getCause() != t) {
        t = t.getCause();
        sb.append(": ").append(t.getClass().getSimpleName()).append(' ').append(t.getMessage());
      }
      return sb.toString();
    }
  }
}
