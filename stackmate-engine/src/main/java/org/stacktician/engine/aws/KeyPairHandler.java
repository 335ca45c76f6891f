package org.stacktician.engine.aws;

import org.stacktician.engine.provider.UpdateRules;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.PropertyError;

/**
 * {@code AWS::EC2::KeyPair} as {@code registerSSHKeyPair} (with PublicKeyMaterial) or {@code
 * createSSHKeyPair} named KeyName exactly (templates and guests refer to it by that name).
 * {@code Ref} gives the name; attributes KeyFingerprint and KeyPairId. A generated private key
 * is not kept (CloudFormation stores it in a secret store, which CloudStack has not).
 */
final class KeyPairHandler extends StepHandler {
  /** As CloudFormation: every change replaces the key pair, whose name is unique. */
  private static final UpdateRules UPDATES = UpdateRules.REPLACE_ALL.withUniqueNames("KeyName");

  @Override
  public UpdateRules updateRules() {
    return UPDATES;
  }

  static final String TYPE = "AWS::EC2::KeyPair";
  private static final Set<String> KNOWN = Set.of("KeyName", "PublicKeyMaterial", "KeyType", "KeyFormat", "Tags");

  @Override
  public List<PropertyError> validate(ObjectNode props) {
    List<PropertyError> errors = AwsProperties.check(props, KNOWN, Set.of("KeyName"), TYPE);
    AwsProperties.scalar(props, "KeyName", errors);
    AwsProperties.scalar(props, "PublicKeyMaterial", errors);
    return errors;
  }

  @Override
  protected ProgressEvent beginCreate(Step s) {
    requireValid(s.request.properties());
    ObjectNode p = s.request.properties();
    String name = AwsProperties.text(p, "KeyName").orElseThrow();
    Map<String, String> params = new LinkedHashMap<>();
    params.put("name", name);
    JsonNode key;
    if (p.hasNonNull("PublicKeyMaterial")) {
      params.put("publickey", AwsProperties.text(p, "PublicKeyMaterial").orElseThrow());
      key = Step.unwrap(s.client.call("registerSSHKeyPair", params), "keypair");
    } else {
      key = Step.unwrap(s.client.call("createSSHKeyPair", params), "keypair");
    }
    return ProgressEvent.success(name, Map.of(
        "KeyFingerprint", TextNode.valueOf(key.path("fingerprint").asText()),
        "KeyPairId", TextNode.valueOf(key.path("id").asText(name))));
  }

  @Override
  protected ProgressEvent afterCreate(Step s, String step, JsonNode result) {
    throw new IllegalStateException("no async create step");
  }

  /** The key pair read back by its name: gone once deleted (its public key is not compared: the cloud gives a fingerprint). */
  @Override
  public org.stacktician.engine.provider.ActualState readActual(org.stacktician.engine.provider.ResourceRequest request) {
    var client = request.context().cloudStack();
    if (client.isEmpty()) {
      return new org.stacktician.engine.provider.ActualState.NotChecked("no CloudStack endpoint is configured");
    }
    var key = ReadBack.listed(client.get(), "listSSHKeyPairs", Map.of("name", request.physicalId()));
    if (key.isEmpty()) {
      return new org.stacktician.engine.provider.ActualState.Gone();
    }
    ObjectNode actual = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    actual.put("KeyName", key.get().path("name").asText());
    return new org.stacktician.engine.provider.ActualState.Found(actual);
  }

  @Override
  protected ProgressEvent beginDelete(Step s) {
    s.client.call("deleteSSHKeyPair", Map.of("name", s.physicalId()));
    return ProgressEvent.success(null);
  }
}
