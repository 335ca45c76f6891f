package org.stacktician.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.client.catalog.ResourceTypeCatalog;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;
import org.stacktician.engine.LocalEngine;
import org.stacktician.engine.StackEngine;
import org.stacktician.engine.cloudstack.StackTags;
import org.stacktician.engine.execution.EngineOptions;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.ProviderContext;
import org.stacktician.engine.provider.ResourceRequest;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;

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

  /** A whole engine on this cloud with its state in {@code stateDir}, polling fast as tests want. */
  public LocalEngine engine(Path stateDir) {
    return engine(stateDir, EngineOptions.defaults());
  }

  /** As {@link #engine(Path)} with these options (their polling interval set to 50 ms). */
  public LocalEngine engine(Path stateDir, EngineOptions options) {
    return LocalEngine.builder(client).stateDir(stateDir)
        .options(options.withPollingInterval(Duration.ofMillis(50))).build();
  }

  /** The parameters of a template of volumes: {@code ZoneId} and {@code DiskOfferingId}. */
  public Map<String, String> volumeParameters() {
    return Map.of("ZoneId", idOf("listZones", "Sandbox-simulator", Map.of()),
        "DiskOfferingId", idOf("listDiskOfferings", "Small", Map.of()));
  }

  /** The parameters of a template of machines: {@code ZoneId}, {@code TemplateId} and {@code OfferingId}. */
  public Map<String, String> machineParameters() {
    return Map.of("ZoneId", idOf("listZones", "Sandbox-simulator", Map.of()),
        "TemplateId", idOf("listTemplates", "Ubuntu 22.04 LTS", Map.of("templatefilter", "executable")),
        "OfferingId", idOf("listServiceOfferings", "Small Instance", Map.of()));
  }

  /**
   * Waits for each stack to settle and asserts it ended complete or rolled back, a stack that
   * rolled back completely holding nothing in {@code simulator} (by its tag or its name); returns how
   * many ended in each status.
   */
  public static Map<StackStatus, Integer> settleAll(CloudStackSimulator simulator, StackEngine engine,
      List<StackRecord> started) throws Exception {
    Map<StackStatus, Integer> outcomes = new java.util.EnumMap<>(StackStatus.class);
    for (StackRecord s : started) {
      StackRecord done = engine.awaitSettled(s.stackId(), Duration.ofSeconds(120));
      outcomes.merge(done.status(), 1, Integer::sum);
      assertThat(done.status()).as(done.stackName() + ": " + done.statusReason())
          .isIn(StackStatus.CREATE_COMPLETE, StackStatus.ROLLBACK_COMPLETE, StackStatus.ROLLBACK_FAILED);
      if (done.status() == StackStatus.ROLLBACK_COMPLETE) {
        assertThat(simulator.inventory().created()).as(done.stackName() + " rolled back completely")
            .noneMatch(i -> done.stackId().equals(i.tags().get(StackTags.STACK_ID))
                || (!i.tags().containsKey(StackTags.STACK_ID) && done.stackName().equals(ownerByName(i.name(), started))));
      }
    }
    return outcomes;
  }

  /** The stack whose generated names ({@code <stack>-...}) this name is: the longest such stack name. */
  private static String ownerByName(String name, List<StackRecord> stacks) {
    String owner = null;
    for (StackRecord s : stacks) {
      if (name != null && name.startsWith(s.stackName() + "-") && (owner == null || s.stackName().length() > owner.length())) {
        owner = s.stackName();
      }
    }
    return owner;
  }

  /**
   * Deletes each stack, again where a delete failed (at most three times), and asserts that each
   * ends DELETE_COMPLETE.
   */
  public static void deleteAll(StackEngine engine, List<StackRecord> stacks) throws Exception {
    for (StackRecord s : stacks) {
      StackRecord deleted = null;
      for (int attempt = 1; attempt <= 3 && (deleted == null || deleted.status() != StackStatus.DELETE_COMPLETE); attempt++) {
        deleted = engine.awaitSettled(engine.deleteStack(s.stackId()).stackId(), Duration.ofSeconds(120));
      }
      assertThat(deleted.status()).as(s.stackName() + ": " + deleted.statusReason()).isEqualTo(StackStatus.DELETE_COMPLETE);
    }
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
        attributes == null ? Map.of() : attributes, null, callback, ctx,
        physicalId == null ? ResourceRequest.Action.CREATE : ResourceRequest.Action.DELETE, false);
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
