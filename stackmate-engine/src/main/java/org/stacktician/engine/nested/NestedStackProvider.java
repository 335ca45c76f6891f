package org.stacktician.engine.nested;

import java.util.Optional;
import java.util.Set;
import org.stacktician.engine.provider.ProviderContext;
import org.stacktician.engine.provider.ResourceHandler;
import org.stacktician.engine.provider.ResourceProvider;

/** Provides {@code AWS::CloudFormation::Stack}: a resource that is a whole child stack. */
public final class NestedStackProvider implements ResourceProvider {
  public static final String TYPE = "AWS::CloudFormation::Stack";
  private final NestedStackHandler handler;

  public NestedStackProvider(NestedStackHost host) {
    this.handler = new NestedStackHandler(host, new TemplateFetcher(host));
  }

  /**
   * A provider outside any engine, for what a handler declares (its update rules, for {@code
   * stackmate types} and change sets); running it fails, as nested stacks run only inside an engine.
   */
  public static NestedStackProvider describing() {
    return new NestedStackProvider((NestedStackHost) java.lang.reflect.Proxy.newProxyInstance(
        NestedStackHost.class.getClassLoader(), new Class<?>[] {NestedStackHost.class}, (proxy, method, args) -> {
          throw new IllegalStateException("nested stacks run only inside an engine");
        }));
  }

  @Override
  public String name() {
    return "nested-stacks";
  }

  @Override
  public Set<String> types(ProviderContext context) {
    return Set.of(TYPE);
  }

  @Override
  public Optional<ResourceHandler> handler(String type, ProviderContext context) {
    return TYPE.equals(type) ? Optional.of(handler) : Optional.empty();
  }
}
