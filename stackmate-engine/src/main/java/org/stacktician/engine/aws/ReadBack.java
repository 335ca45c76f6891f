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
}
