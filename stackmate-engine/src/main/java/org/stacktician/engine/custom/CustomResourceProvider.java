package org.stacktician.engine.custom;

import java.util.Optional;
import java.util.Set;
import org.stacktician.engine.provider.ProviderContext;
import org.stacktician.engine.provider.ResourceHandler;
import org.stacktician.engine.provider.ResourceProvider;

/** Built-in provider of {@code AWS::CloudFormation::CustomResource} and every {@code Custom::*} type. */
public final class CustomResourceProvider implements ResourceProvider {
  public static final String TYPE = "AWS::CloudFormation::CustomResource";
  public static final String PREFIX = "Custom::";

  private final ResourceHandler handler = new CustomResourceHandler();

  @Override
  public String name() {
    return "custom-resources";
  }

  @Override
  public Set<String> types(ProviderContext context) {
    return Set.of(TYPE);
  }

  @Override
  public Set<String> typePrefixes(ProviderContext context) {
    return Set.of(PREFIX);
  }

  @Override
  public Optional<ResourceHandler> handler(String type, ProviderContext context) {
    return type.equals(TYPE) || (type.startsWith(PREFIX) && type.length() > PREFIX.length())
        ? Optional.of(handler) : Optional.empty();
  }
}
