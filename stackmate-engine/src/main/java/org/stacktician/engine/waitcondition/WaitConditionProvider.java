package org.stacktician.engine.waitcondition;

import java.util.Optional;
import java.util.Set;
import org.stacktician.engine.provider.ProviderContext;
import org.stacktician.engine.provider.ResourceHandler;
import org.stacktician.engine.provider.ResourceProvider;

/** Built-in provider of {@code AWS::CloudFormation::WaitConditionHandle} and {@code WaitCondition}. */
public final class WaitConditionProvider implements ResourceProvider {
  public static final String HANDLE_TYPE = "AWS::CloudFormation::WaitConditionHandle";
  public static final String CONDITION_TYPE = "AWS::CloudFormation::WaitCondition";

  private final ResourceHandler handle = new WaitConditionHandleHandler();
  private final ResourceHandler condition = new WaitConditionHandler();

  @Override
  public String name() {
    return "wait-conditions";
  }

  @Override
  public Set<String> types(ProviderContext context) {
    return Set.of(HANDLE_TYPE, CONDITION_TYPE);
  }

  @Override
  public Optional<ResourceHandler> handler(String type, ProviderContext context) {
    return switch (type) {
      case HANDLE_TYPE -> Optional.of(handle);
      case CONDITION_TYPE -> Optional.of(condition);
      default -> Optional.empty();
    };
  }
}
