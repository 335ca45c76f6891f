package org.stacktician.engine.provider;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * The services a handler may use during one stack operation. Built by the engine with {@link
 * #builder()}; new services are added as new builder setters so that existing call sites keep
 * compiling.
 */
public final class ProviderContext {
  private final ResourceRequest.StackRef stack;
  private final Map<String, String> stackTags;
  private final Clock clock;

  private ProviderContext(Builder b) {
    this.stack = Objects.requireNonNull(b.stack, "stack");
    this.stackTags = Map.copyOf(b.stackTags);
    this.clock = b.clock;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The stack being worked on. */
  public ResourceRequest.StackRef stack() {
    return stack;
  }

  /** Tags every taggable resource of the stack gets ({@code stacktician:stack-id}, ...). */
  public Map<String, String> stackTags() {
    return stackTags;
  }

  public Clock clock() {
    return clock;
  }

  /** Builder of {@link ProviderContext}. */
  public static final class Builder {
    private ResourceRequest.StackRef stack;
    private Map<String, String> stackTags = Map.of();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    public Builder stack(ResourceRequest.StackRef stack) {
      this.stack = stack;
      return this;
    }

    public Builder stackTags(Map<String, String> stackTags) {
      this.stackTags = stackTags;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public ProviderContext build() {
      return new ProviderContext(this);
    }
  }
}
