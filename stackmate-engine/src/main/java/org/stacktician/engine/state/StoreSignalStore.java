package org.stacktician.engine.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.stacktician.engine.waitcondition.Signal;
import org.stacktician.engine.waitcondition.SignalStore;

/** The providers' {@link SignalStore} on the engine's {@link StateStore}, so signals survive restarts. */
public final class StoreSignalStore implements SignalStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final StateStore store;

  public StoreSignalStore(StateStore store) {
    this.store = store;
  }

  @Override
  public void record(String stackId, String key, Signal signal) {
    ObjectNode body = JSON.createObjectNode();
    body.put("Status", signal.status().name());
    body.put("Reason", signal.reason());
    body.put("UniqueId", signal.uniqueId());
    body.put("Data", signal.data());
    body.put("ReceivedAt", signal.receivedAt().toString());
    store.recordSignal(stackId, key, signal.uniqueId(), body.toString());
  }

  @Override
  public List<Signal> signals(String stackId, String key) {
    return store.signals(stackId, key).stream().map(StoreSignalStore::signal).toList();
  }

  @Override
  public void deleteStack(String stackId) {
    store.deleteSignals(stackId);
  }

  private static Signal signal(StateStore.SignalRecord r) {
    try {
      JsonNode b = JSON.readTree(r.bodyJson());
      String at = b.path("ReceivedAt").asText("");
      return new Signal(Signal.Status.valueOf(b.path("Status").asText("FAILURE")), b.path("Reason").asText(""),
          r.uniqueId(), b.path("Data").asText(""), at.isEmpty() ? r.receivedAt() : Instant.parse(at));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new StateStoreException("corrupt signal in the state database: " + e.getMessage(), e);
    }
  }
}
