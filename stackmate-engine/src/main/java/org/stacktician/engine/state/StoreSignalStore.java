package org.stacktician.engine.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.stacktician.engine.callback.UrlSigner;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.waitcondition.Signal;
import org.stacktician.engine.waitcondition.SignalRefusedException;
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
    switch (store.recordSignal(stackId, key, signal.uniqueId(), body.toString(), MAX_SIGNALS_PER_KEY)) {
      case RECORDED -> { }
      case HANDLE_FULL -> throw SignalStore.tooMany(key);
      case STACK_DELETED -> throw new SignalRefusedException(404, "stack " + stackId
          + " was deleted while the signal arrived; its handles take no signals");
    }
  }

  @Override
  public void checkAccepts(String stackId, String handle) {
    StackRecord stack = existing(stackId, "its wait condition handles take no signals");
    List<ResourceRecord> resources = store.resources(stackId);
    if (resources.stream().noneMatch(r -> r.logicalId().equals(handle))) {
      throw new SignalRefusedException(404, "stack " + stack.stackName() + " has no wait condition handle " + handle);
    }
    StackStatus status = stack.status();
    if (status != StackStatus.CREATE_IN_PROGRESS && status != StackStatus.UPDATE_IN_PROGRESS) {
      throw new SignalRefusedException(410, "stack " + stack.stackName() + " is " + status
          + "; its wait condition handle " + handle + " takes no more signals");
    }
    // A signal may come before its wait condition starts; once every wait condition on the
    // handle has finished, nothing will read it again.
    String path = "/" + UrlSigner.WAIT_CONDITION + "/" + UrlSigner.encodeSegment(stackId) + "/"
        + UrlSigner.encodeSegment(handle) + "?";
    List<ResourceRecord> waiting = resources.stream()
        .filter(r -> r.properties() != null
            && r.properties().path("Handle").asText("").contains(path))
        .toList();
    if (!waiting.isEmpty() && waiting.stream().allMatch(r -> r.status() != null && !r.status().inProgress())) {
      throw new SignalRefusedException(410, "wait condition " + waiting.get(0).logicalId() + " of stack "
          + stack.stackName() + " is " + waiting.get(0).status() + "; its handle " + handle + " takes no more signals");
    }
  }

  @Override
  public void checkAcceptsResponse(String stackId, String logicalId) {
    StackRecord stack = existing(stackId, "its custom resources take no responses");
    List<ResourceRecord> rows = store.resources(stackId).stream().filter(r -> r.logicalId().equals(logicalId)).toList();
    if (rows.isEmpty()) {
      throw new SignalRefusedException(404, "stack " + stack.stackName() + " has no custom resource " + logicalId);
    }
    if (rows.stream().noneMatch(r -> r.status() != null && r.status().inProgress())) {
      throw new SignalRefusedException(410, "custom resource " + logicalId + " of stack " + stack.stackName() + " is "
          + rows.get(rows.size() - 1).status() + ": no request to it is waiting for a response");
    }
  }

  private StackRecord existing(String stackId, String consequence) {
    return store.findStack(stackId)
        .filter(s -> s.stackId().equals(stackId) && s.status() != StackStatus.DELETE_COMPLETE)
        .orElseThrow(() -> new SignalRefusedException(404, "stack " + stackId + " does not exist (it was deleted); "
            + consequence));
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
