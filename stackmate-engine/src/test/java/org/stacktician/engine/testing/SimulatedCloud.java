package org.stacktician.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.client.catalog.ResourceTypeCatalog;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;
import org.stacktician.engine.cloudstack.StackTags;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.ProviderContext;
import org.stacktician.engine.provider.ResourceRequest;

/** A running simulator with a real client and the catalog derived from its listApis, for provider tests. */
public final class SimulatedCloud implements AutoCloseable {
  public final CloudStackSimulator simulator;
  public final CloudStackClient client;
  public final ResourceTypeCatalog catalog;
  public final ProviderContext base;

  public SimulatedCloud() {
    simulator = CloudStackSimulator.start();
    client = CloudStackClient.builder().endpoint(simulator.endpoint()).credentials(simulator.credentials()).build();
    catalog = ResourceTypeCatalog.derive(client.discover());
    base = ProviderContext.builder().cloudStack(client).resourceTypes(catalog).build();
  }

  /** A context for one stack. */
  public ProviderContext stack(String stackId, String stackName) {
    ResourceRequest.StackRef ref = new ResourceRequest.StackRef(stackId, stackName);
    return base.withStack(ref, StackTags.forStack(ref));
  }

  /** The id of the first item of a list call whose name matches. */
  public String idOf(String listCommand, String name, Map<String, String> extra) {
    java.util.Map<String, String> p = new java.util.LinkedHashMap<>(extra);
    for (JsonNode item : client.list(listCommand, p)) {
      if (name.equals(item.path("name").asText())) {
        return item.path("id").asText();
      }
    }
    throw new IllegalStateException(listCommand + " has no item named " + name);
  }

  public static ResourceRequest request(ProviderContext ctx, String logicalId, String type, ObjectNode props,
      String physicalId, Map<String, JsonNode> attributes, ObjectNode callback) {
    return new ResourceRequest(ctx.stack(), logicalId, type, props, null, physicalId,
        attributes == null ? Map.of() : attributes, null, callback, ctx);
  }

  /** Calls an operation again at each InProgress (sleeping at most 100 ms) until it ends; bounded. */
  public static ProgressEvent drive(Function<ObjectNode, ProgressEvent> call) {
    ObjectNode ctx = null;
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < until) {
      ProgressEvent e = call.apply(ctx);
      if (!(e instanceof ProgressEvent.InProgress ip)) {
        return e;
      }
      ctx = ip.callbackContext();
      try {
        Thread.sleep(Math.min(ip.delay().toMillis(), 100));
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new AssertionError(ex);
      }
    }
    throw new AssertionError("still in progress after 30 s");
  }

  /** Retries an assertion for up to 5 s (for effects of jobs nobody waits for, such as tags). */
  public static void eventually(Runnable assertion) {
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > until) {
          throw e;
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  @Override
  public void close() {
    client.close();
    simulator.close();
  }
}
