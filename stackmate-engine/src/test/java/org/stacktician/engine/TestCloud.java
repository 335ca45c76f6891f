package org.stacktician.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.stacktician.engine.provider.ErrorCode;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.ProviderContext;
import org.stacktician.engine.provider.PropertyError;
import org.stacktician.engine.provider.ResourceHandler;
import org.stacktician.engine.provider.ResourceProvider;
import org.stacktician.engine.provider.ResourceRequest;

/**
 * A small in-memory cloud with a real implementation of the provider contract, for engine tests:
 * type {@code Test::Thing} creates an inventory item (tagged with the stack id and logical id),
 * asynchronously when the cloud has a job latency; faults are injected per logical id. Items exist
 * in the inventory from the moment a create is accepted, as in CloudStack.
 */
public final class TestCloud implements ResourceProvider {
  public static final String TYPE = "Test::Thing";

  /** One created item. */
  public record Item(String id, String stackId, String logicalId, Instant readyAt, JsonNode properties) {}

  private final Map<String, Item> inventory = new ConcurrentHashMap<>();
  private final Map<String, Item> jobs = new ConcurrentHashMap<>();
  private final Set<String> failCreate = ConcurrentHashMap.newKeySet();
  private final Set<String> failDelete = ConcurrentHashMap.newKeySet();
  private final Set<String> crashAfterAccept = ConcurrentHashMap.newKeySet();
  private final AtomicInteger ids = new AtomicInteger();
  private final AtomicInteger creates = new AtomicInteger();
  private final AtomicInteger concurrent = new AtomicInteger();
  private final AtomicInteger maxConcurrent = new AtomicInteger();
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private volatile Duration latency = Duration.ZERO;

  public TestCloud latency(Duration d) {
    latency = d;
    return this;
  }

  public TestCloud failCreateOf(String logicalId) {
    failCreate.add(logicalId);
    return this;
  }

  public TestCloud failDeleteOf(String logicalId) {
    failDelete.add(logicalId);
    return this;
  }

  /** The next create of this logical id is accepted by the cloud, then the step dies before recording it. */
  public TestCloud crashAfterAcceptOf(String logicalId) {
    crashAfterAccept.add(logicalId);
    return this;
  }

  /** Stands for a process dying in the middle of a handler call (not caught as a handler error). */
  public static final class SimulatedCrash extends Error {
    SimulatedCrash(String message) {
      super(message);
    }
  }

  public void clearFaults() {
    failCreate.clear();
    failDelete.clear();
  }

  public Map<String, Item> inventory() {
    return Map.copyOf(inventory);
  }

  /** Create calls that made an item (a lookup that finds one does not count). */
  public int createsAccepted() {
    return creates.get();
  }

  /** The most async operations that were in progress at once. */
  public int maxConcurrent() {
    return maxConcurrent.get();
  }

  /** "create X" / "delete X" in the order they were accepted. */
  public List<String> log() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  @Override
  public String name() {
    return "test-cloud";
  }

  @Override
  public Set<String> types(ProviderContext context) {
    return Set.of(TYPE);
  }

  @Override
  public Optional<ResourceHandler> handler(String type, ProviderContext context) {
    return TYPE.equals(type) ? Optional.of(handler) : Optional.empty();
  }

  private final ResourceHandler handler = new ResourceHandler() {
    /**
     * Declares {@code Label} updatable in place but has no update of its own (as handlers that document a type's
     * update behaviours before they implement them): the engine must replace the resource instead.
     */
    @Override
    public org.stacktician.engine.provider.UpdateRules updateRules() {
      return org.stacktician.engine.provider.UpdateRules.of(Map.of("Label",
          org.stacktician.engine.provider.PropertyUpdate.noInterruption("relabel")));
    }

    @Override
    public List<PropertyError> validate(ObjectNode properties) {
      JsonNode size = properties.get("Size");
      if (size != null && !size.isNumber() && !size.isObject() && !size.asText().matches("\\d+")) {
        return List.of(new PropertyError("Size", "must be an integer, got '" + size.asText() + "'"));
      }
      return List.of();
    }

    @Override
    public ProgressEvent create(ResourceRequest r) {
      if (!r.firstCall()) {
        Item item = jobs.get(r.callbackContext().path("jobid").asText());
        if (item == null) {
          return ProgressEvent.failed(ErrorCode.NOT_FOUND, "unknown job");
        }
        Instant now = Instant.now();
        if (now.isBefore(item.readyAt())) {
          return ProgressEvent.inProgress(r.callbackContext(), Duration.between(now, item.readyAt()), "job running");
        }
        jobs.remove(r.callbackContext().path("jobid").asText());
        concurrent.decrementAndGet();
        if (failCreate.contains(r.logicalId())) {
          inventory.remove(item.id());
          return ProgressEvent.failed(ErrorCode.SERVICE_INTERNAL_ERROR, "cloud error 530: injected failure of "
              + r.logicalId());
        }
        log.add("done " + r.logicalId());
        return ProgressEvent.success(item.id(), attributes(item));
      }
      if (latency.isZero() && !r.properties().has("LatencyMs") && failCreate.contains(r.logicalId())) {
        return ProgressEvent.failed(ErrorCode.SERVICE_INTERNAL_ERROR, "cloud error 530: injected failure of "
            + r.logicalId());
      }
      Duration own = r.properties().has("LatencyMs")
          ? Duration.ofMillis(r.properties().get("LatencyMs").asLong()) : latency;
      Item item = new Item("thing-" + ids.incrementAndGet(), r.stack().stackId(), r.logicalId(),
          Instant.now().plus(own), r.properties());
      inventory.put(item.id(), item);
      creates.incrementAndGet();
      log.add("create " + r.logicalId());
      if (crashAfterAccept.remove(r.logicalId())) {
        throw new SimulatedCrash("process died after the cloud accepted the create of " + r.logicalId());
      }
      if (own.isZero()) {
        log.add("done " + r.logicalId());
        return ProgressEvent.success(item.id(), attributes(item));
      }
      int now = concurrent.incrementAndGet();
      maxConcurrent.accumulateAndGet(now, Math::max);
      String jobId = "job-" + item.id();
      jobs.put(jobId, item);
      return ProgressEvent.inProgress(JsonNodeFactory.instance.objectNode().put("jobid", jobId), own, "job");
    }

    @Override
    public ProgressEvent read(ResourceRequest r) {
      for (Item item : inventory.values()) {
        if (item.stackId().equals(r.stack().stackId()) && item.logicalId().equals(r.logicalId())) {
          return ProgressEvent.success(item.id(), attributes(item));
        }
      }
      return ProgressEvent.failed(ErrorCode.NOT_FOUND, "no item tagged " + r.logicalId());
    }

    @Override
    public ProgressEvent delete(ResourceRequest r) {
      if (failDelete.contains(r.logicalId())) {
        return ProgressEvent.failed(ErrorCode.RESOURCE_CONFLICT, "cloud error 530: " + r.physicalId() + " is in use");
      }
      if (inventory.remove(r.physicalId()) == null) {
        return ProgressEvent.failed(ErrorCode.NOT_FOUND, r.physicalId() + " does not exist");
      }
      log.add("delete " + r.logicalId());
      return ProgressEvent.success(null);
    }
  };

  private static Map<String, JsonNode> attributes(Item item) {
    Map<String, JsonNode> a = new LinkedHashMap<>();
    a.put("Id", TextNode.valueOf(item.id()));
    JsonNode echo = item.properties() == null ? null : item.properties().get("Echo");
    a.put("Echo", echo == null ? TextNode.valueOf("") : echo);
    return a;
  }
}
