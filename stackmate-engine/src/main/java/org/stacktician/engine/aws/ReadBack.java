package org.stacktician.engine.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stacktician.cloudstack.client.CloudStackApiException;
import org.stacktician.cloudstack.client.CloudStackClient;

/** How the AWS:: handlers read a resource back for drift detection: the item a list call gives by its query. */
final class ReadBack {
  private ReadBack() {}

  /**
   * The first item {@code api} lists for {@code query} (all the account's, {@code listall}); empty when it lists
   * none or answers that the id names nothing (CloudStack's 431).
   */
  static Optional<JsonNode> listed(CloudStackClient client, String api, Map<String, String> query) {
    Map<String, String> all = new LinkedHashMap<>(query);
    all.put("listall", "true");
    try {
      List<JsonNode> items = client.list(api, all);
      return items.stream().findFirst();
    } catch (CloudStackApiException e) {
      if (e.errorCode() == 431) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The template's {@code Tags} as the cloud has them: the item's tags but the stack's own ({@code stacktician:}). */
  static com.fasterxml.jackson.databind.node.ArrayNode tags(JsonNode item) {
    var out = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    org.stacktician.engine.cloudstack.StackTags.userTags(item).forEach((k, v) -> out.addObject().put("Key", k)
        .put("Value", v));
    return out;
  }

  /**
   * The value to show for a property the template names by a name or id the handler resolved ({@code lookup}): the
   * template's own value while it still resolves to what the cloud has ({@code actualId}), else the cloud's name.
   */
  static JsonNode resolved(JsonNode expected, java.util.function.Supplier<String> lookup, String actualId,
      String actualName) {
    try {
      if (expected != null && actualId != null && actualId.equals(lookup.get())) {
        return expected;
      }
    } catch (RuntimeException e) {
      // the template's value no longer resolves: the cloud's name is what there is to show
    }
    return com.fasterxml.jackson.databind.node.TextNode.valueOf(actualName);
  }
}
