package org.stacktician.engine.aws;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.stacktician.engine.provider.ProviderContext;
import org.stacktician.engine.provider.ResourceHandler;
import org.stacktician.engine.provider.ResourceProvider;

/**
 * Built-in provider of the {@code AWS::EC2::} compatibility types on CloudStack. The mapping file
 * reaches the handlers as the context service {@link AwsMappings} ({@code
 * ProviderContext.builder().service(AwsMappings.class, AwsMappings.load(path))}).
 */
public final class AwsProvider implements ResourceProvider {
  private final Map<String, ResourceHandler> handlers = Map.of(
      InstanceHandler.TYPE, new InstanceHandler(),
      SecurityGroupHandler.TYPE, new SecurityGroupHandler(),
      SecurityGroupRuleHandler.INGRESS, new SecurityGroupRuleHandler(true),
      SecurityGroupRuleHandler.EGRESS, new SecurityGroupRuleHandler(false),
      ElasticIpHandler.TYPE, new ElasticIpHandler(),
      ElasticIpAssociationHandler.TYPE, new ElasticIpAssociationHandler(),
      VolumeHandler.TYPE, new VolumeHandler(),
      VolumeAttachmentHandler.TYPE, new VolumeAttachmentHandler(),
      KeyPairHandler.TYPE, new KeyPairHandler());

  @Override
  public String name() {
    return "aws-compatibility";
  }

  @Override
  public Set<String> types(ProviderContext context) {
    return handlers.keySet();
  }

  @Override
  public Optional<ResourceHandler> handler(String type, ProviderContext context) {
    return Optional.ofNullable(handlers.get(type));
  }
}
