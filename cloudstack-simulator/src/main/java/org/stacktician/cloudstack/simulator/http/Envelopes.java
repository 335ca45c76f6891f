package org.stacktician.cloudstack.simulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/** CloudStack's JSON envelopes (CLOUDSTACK-API.md §5): response names, lists, errors, async submits. */
public final class Envelopes {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  /** Response names that are not {@code lower(command) + "response"} (§5.1), for the commands implemented. */
  private static final Map<String, String> IRREGULAR = Map.of("listVPCs", "listvpcresponse");

  private Envelopes() {}

  /** The top-level key of a command's answer. */
  public static String responseName(String command) {
    String irregular = IRREGULAR.get(command);
    return irregular != null ? irregular : command.toLowerCase(Locale.ROOT) + "response";
  }

  /** {@code {"<name>": inner}}. */
  public static ObjectNode wrap(String command, JsonNode inner) {
    ObjectNode root = JSON.objectNode();
    root.set(responseName(command), inner);
    return root;
  }

  /** The inner object of a list answer: {@code {"count":N,"<itemKey>":[...]}} or {@code {}} when empty. */
  public static ObjectNode list(String itemKey, Collection<? extends JsonNode> items, int total) {
    ObjectNode inner = JSON.objectNode();
    if (items.isEmpty() && total == 0) {
      return inner;
    }
    inner.put("count", total);
    inner.putArray(itemKey).addAll(items);
    return inner;
  }

  /** {@code {"success": true}} (SuccessResponse). */
  public static ObjectNode success() {
    ObjectNode inner = JSON.objectNode();
    inner.put("success", true);
    return inner;
  }

  /** The inner object of an error answer (ExceptionResponse). */
  public static ObjectNode error(ApiException e) {
    ObjectNode inner = JSON.objectNode();
    inner.putArray("uuidList");
    inner.put("errorcode", e.errorCode());
    if (e.csErrorCode() != 0) {
      inner.put("cserrorcode", e.csErrorCode());
    }
    inner.put("errortext", e.errorText());
    return inner;
  }
}
