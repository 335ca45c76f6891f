package org.stacktician.engine.provider;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.client.catalog.ResourceTypeCatalog;
import org.stacktician.engine.callback.UrlSigner;
import org.stacktician.engine.cloudstack.JobTimings;
import org.stacktician.engine.waitcondition.SignalStore;

/**
 * The services a handler may use during one stack operation. Built by the engine with {@link
 * #builder()}; new services are added as new builder setters so that existing call sites keep
 * compiling.
 *
 * <p>Two kinds of context exist: a process-wide <em>base</em> context without a stack (given to
 * {@link org.stacktician.engine.provider.registry.ProviderRegistry} so providers can compute
 * their types, e.g. from the cloud's catalog), and per-stack contexts made from it with {@link
 * #withStack(ResourceRequest.StackRef, Map)} that go into each {@link ResourceRequest}.
 */
public final class ProviderContext {
  private final ResourceRequest.StackRef stack;
  private final Map<String, String> stackTags;
  private final Clock clock;
  private final CloudStackClient cloudStack;
  private final ResourceTypeCatalog resourceTypes;
  private final SignalStore signalStore;
  private final UrlSigner urlSigner;
  private final HttpClient httpClient;
  private final JobTimings jobTimings;
  private final Map<String, Object> services;

  private ProviderContext(Builder b) {
    this.stack = b.stack;
    this.stackTags = Map.copyOf(b.stackTags);
    this.clock = Objects.requireNonNull(b.clock, "clock");
    this.cloudStack = b.cloudStack;
    this.resourceTypes = b.resourceTypes;
    this.signalStore = b.signalStore;
    this.urlSigner = b.urlSigner;
    this.httpClient = b.httpClient;
    this.jobTimings = b.jobTimings;
    this.services = Map.copyOf(b.services);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding every value of this context, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.stack = stack;
    b.stackTags = stackTags;
    b.clock = clock;
    b.cloudStack = cloudStack;
    b.resourceTypes = resourceTypes;
    b.signalStore = signalStore;
    b.urlSigner = urlSigner;
    b.httpClient = httpClient;
    b.jobTimings = jobTimings;
    b.services.putAll(services);
    return b;
  }

  /** This context's services for one stack, with the tags its taggable resources get. */
  public ProviderContext withStack(ResourceRequest.StackRef stack, Map<String, String> stackTags) {
    return toBuilder().stack(stack).stackTags(stackTags).build();
  }

  /**
   * This context in the cloud of a stack's account: the {@link CloudResolver}'s client and {@code CloudStack::}
   * types when one is registered (the server), else this context unchanged (one cloud per engine).
   */
  public ProviderContext forAccount(String accountKey) {
    Optional<CloudResolver> resolver = service(CloudResolver.class);
    if (resolver.isEmpty() || accountKey == null) {
      return this;
    }
    return toBuilder().cloudStack(resolver.get().client(accountKey))
        .resourceTypes(resolver.get().resourceTypes(accountKey).orElse(resourceTypes)).build();
  }

  /**
   * This context with a cloud client that hides these values (the stack's NoEcho parameters) in
   * what it logs and reports, wherever the template put them.
   */
  public ProviderContext maskingSecrets(java.util.Collection<String> secrets) {
    return cloudStack == null || secrets.isEmpty() ? this : toBuilder().cloudStack(cloudStack.masking(secrets)).build();
  }

  /**
   * The stack being worked on.
   *
   * @throws IllegalStateException on a base context (no stack)
   */
  public ResourceRequest.StackRef stack() {
    if (stack == null) {
      throw new IllegalStateException("this provider context belongs to no stack");
    }
    return stack;
  }

  /** True when this context belongs to a stack. */
  public boolean hasStack() {
    return stack != null;
  }

  /** Tags every taggable resource of the stack gets ({@code stacktician:stack-id}, ...). */
  public Map<String, String> stackTags() {
    return stackTags;
  }

  public Clock clock() {
    return clock;
  }

  /** The cloud the stack lives in; empty when no cloud is configured. */
  public Optional<CloudStackClient> cloudStack() {
    return Optional.ofNullable(cloudStack);
  }

  /** The {@code CloudStack::} resource types the target cloud supports (from its listApis). */
  public Optional<ResourceTypeCatalog> resourceTypes() {
    return Optional.ofNullable(resourceTypes);
  }

  /** Where signals and custom-resource responses received by the callback listener are kept. */
  public Optional<SignalStore> signalStore() {
    return Optional.ofNullable(signalStore);
  }

  /** Signs wait-condition handle URLs and custom-resource response URLs. */
  public Optional<UrlSigner> urlSigner() {
    return Optional.ofNullable(urlSigner);
  }

  /** HTTP client for outbound calls (custom-resource service tokens). */
  public HttpClient httpClient() {
    return httpClient;
  }

  /**
   * The async-job timing estimate of this context's engine: shared by every stack context derived
   * from one base context, never by two engines.
   */
  public JobTimings jobTimings() {
    return jobTimings;
  }

  /** A further service registered by type (for plugins and services added later). */
  public <T> Optional<T> service(Class<T> type) {
    return Optional.ofNullable(services.get(type.getName())).map(type::cast);
  }

  /** Builder of {@link ProviderContext}. */
  public static final class Builder {
    private ResourceRequest.StackRef stack;
    private Map<String, String> stackTags = Map.of();
    private Clock clock = Clock.systemUTC();
    private CloudStackClient cloudStack;
    private ResourceTypeCatalog resourceTypes;
    private SignalStore signalStore;
    private UrlSigner urlSigner;
    private HttpClient httpClient;
    private JobTimings jobTimings;
    private final java.util.HashMap<String, Object> services = new java.util.HashMap<>();

    private Builder() {}

    public Builder stack(ResourceRequest.StackRef stack) {
      this.stack = stack;
      return this;
    }

    public Builder stackTags(Map<String, String> stackTags) {
      this.stackTags = stackTags == null ? Map.of() : stackTags;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder cloudStack(CloudStackClient cloudStack) {
      this.cloudStack = cloudStack;
      return this;
    }

    public Builder resourceTypes(ResourceTypeCatalog resourceTypes) {
      this.resourceTypes = resourceTypes;
      return this;
    }

    public Builder signalStore(SignalStore signalStore) {
      this.signalStore = signalStore;
      return this;
    }

    public Builder urlSigner(UrlSigner urlSigner) {
      this.urlSigner = urlSigner;
      return this;
    }

    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = httpClient;
      return this;
    }

    /** The job timing estimate to use (default: a fresh one for this context and those derived from it). */
    public Builder jobTimings(JobTimings jobTimings) {
      this.jobTimings = jobTimings;
      return this;
    }

    /** Registers a further service under its type. */
    public <T> Builder service(Class<T> type, T service) {
      if (service == null) {
        services.remove(type.getName());
      } else {
        services.put(type.getName(), service);
      }
      return this;
    }

    public ProviderContext build() {
      if (httpClient == null) {
        httpClient = SharedHttpClient.INSTANCE;
      }
      if (jobTimings == null) {
        jobTimings = new JobTimings();
      }
      return new ProviderContext(this);
    }
  }

  /** One outbound HTTP client per process unless the engine supplies its own. */
  private static final class SharedHttpClient {
    static final HttpClient INSTANCE =
        HttpClient.newBuilder()
            .connectTimeout(java.time.Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }
}
