package org.stacktician.engine.convergence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.BeforeTry;
import org.stacktician.cloudstack.simulator.faults.CommandFaults;
import org.stacktician.cloudstack.simulator.http.CallLog;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.LocalEngine;
import org.stacktician.engine.StackEngine;
import org.stacktician.engine.StackOperationException;
import org.stacktician.engine.aws.AwsMappings;
import org.stacktician.engine.change.UpdateRequest;
import org.stacktician.engine.change.UpdateRequest.ParameterValue;
import org.stacktician.engine.convergence.TemplateArbitraries.Pair;
import org.stacktician.engine.execution.EngineOptions;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.testing.SimulatedCloud;

/**
 * Convergence of update-stack, as properties over random pairs of templates (T1, T2) of the simulator's types, run by
 * the real engine (H2 state file, its scheduler) against the real simulator over loopback HTTP:
 *
 * <ul>
 *   <li>creating T1 and updating it to T2 leaves the cloud as creating T2 from nothing does (what the CloudStack API
 *       lists of every resource, ids and generated names aside), and deleting either leaves nothing;
 *   <li>with a cloud failure injected at a random call of the update (one the update's provision phase makes), the
 *       update rolls back to exactly T1's inventory: the same resources, ids included, with the same properties.
 * </ul>
 *
 * The seed is fixed so that a run is reproducible (a failure prints the shrunk pair of templates); change it to
 * explore other pairs.
 */
class UpdateConvergencePropertiesTest {
  static final String SEED = "7";
  static final Duration SETTLE = Duration.ofSeconds(120);
  static final String MAPPINGS = """
      images:
        ami-1b814f72: "Ubuntu 22.04 LTS"
      instanceTypes:
        m1.small: "Small Instance"
      diskOffering: Custom
      availabilityZones:
        us-east-1a: Sandbox-simulator
      """;

  static SimulatedCloud cloud;
  static LocalEngine local;
  static Path stateDir;
  static Map<String, String> cloudIds;
  static final AtomicInteger stacks = new AtomicInteger();

  @BeforeContainer
  static void start() throws IOException {
    open();
  }

  /**
   * A cloud with nothing made in it for each try: after a failed try (whose stacks may be left anywhere) the cloud
   * and the engine start anew, so that shrinking replays each smaller pair on a clean cloud. (Shrinking is FULL:
   * a bounded one abandons a try still running when its time is up, which would then race the next.)
   */
  @BeforeTry
  void cleanCloud() throws IOException {
    if (!cloud.simulator.inventory().created().isEmpty()
        || engine().listStacks().stream().anyMatch(s -> s.status() != StackStatus.DELETE_COMPLETE)) {
      stop();
      open();
    }
  }

  private static void open() throws IOException {
    cloud = new SimulatedCloud();
    stateDir = Files.createTempDirectory("convergence");
    local = LocalEngine.builder(cloud.client).stateDir(stateDir).mappings(AwsMappings.parse(MAPPINGS, "mappings.yml"))
        .options(EngineOptions.defaults().withPollingInterval(Duration.ofMillis(50))).build();
    cloudIds = new LinkedHashMap<>(cloud.machineParameters());
    cloudIds.remove("OfferingId");
    cloudIds.put("NetworkOfferingId",
        cloud.idOf("listNetworkOfferings", "DefaultIsolatedNetworkOfferingWithSourceNatService", Map.of()));
    cloudIds.put("SmallDiskId", cloud.idOf("listDiskOfferings", "Small", Map.of()));
    cloudIds.put("CustomDiskId", cloud.idOf("listDiskOfferings", "Custom", Map.of()));
    cloudIds.put("Small", cloud.idOf("listServiceOfferings", "Small Instance", Map.of()));
    cloudIds.put("Medium", cloud.idOf("listServiceOfferings", "Medium Instance", Map.of()));
  }

  @AfterContainer
  static void stop() throws IOException {
    if (local != null) {
      local.close();
      local = null;
    }
    if (cloud != null) {
      cloud.close();
      cloud = null;
    }
    if (stateDir != null && Files.exists(stateDir)) {
      try (Stream<Path> files = Files.walk(stateDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    stateDir = null;
  }

  @Provide
  Arbitrary<Pair> pairs() {
    return TemplateArbitraries.pairs();
  }

  @Property(tries = 30, seed = SEED, shrinking = ShrinkingMode.FULL)
  void updatingT1ToT2LeavesTheCloudAsCreatingT2(@ForAll("pairs") Pair pair) throws Exception {
    int n = stacks.incrementAndGet();
    StackRecord created = create("cva" + n, pair.first());
    StackRecord updated = update(created, pair.second()).orElse(created);
    assertThat(updated.status()).as(() -> "T1 -> T2: " + failures(updated))
        .isIn(StackStatus.UPDATE_COMPLETE, created.status());
    List<String> viaUpdate = inventory(updated);
    deleteToNothing(updated);

    StackRecord fresh = create("cvb" + n, pair.second());
    List<String> fromNothing = inventory(fresh);
    deleteToNothing(fresh);

    assertThat(viaUpdate).as("the cloud after T1 -> T2 (left) against T2 created from nothing (right)")
        .isEqualTo(fromNothing);
  }

  @Property(tries = 20, seed = SEED, shrinking = ShrinkingMode.FULL)
  void aFailureAtAnyCallOfTheUpdateRollsBackToExactlyT1(@ForAll("pairs") Pair pair,
      @ForAll @IntRange(min = 0, max = 9999) int pick) throws Exception {
    StackRecord stack = create("cvf" + stacks.incrementAndGet(), pair.first());
    List<String> asCreated = inventory(stack);

    // A first run of the update shows which calls it makes; the stack then goes back to T1 (itself an update that
    // must leave the cloud as T1's create did) and the same update is made again with one of those calls failing.
    Set<String> beforeIds = createdIds();
    cloud.simulator.calls().clear();
    Optional<StackRecord> dry = update(stack, pair.second());
    if (dry.isEmpty()) {
      deleteToNothing(stack); // T2 is T1: no update to fail
      return;
    }
    List<CallLog.Call> calls = cloud.simulator.calls().calls();
    assertThat(dry.get().status()).as(() -> "T1 -> T2: " + failures(dry.get())).isEqualTo(StackStatus.UPDATE_COMPLETE);
    StackRecord back = update(dry.get(), pair.first()).orElseThrow();
    assertThat(back.status()).as(() -> "T2 -> T1: " + failures(back)).isEqualTo(StackStatus.UPDATE_COMPLETE);
    assertThat(inventory(back)).as("T1 -> T2 -> T1 against T1 as created").isEqualTo(asCreated);

    List<Fault> faults = provisionCalls(calls, beforeIds);
    if (!faults.isEmpty()) {
      Map<String, String> exact = exactInventory();
      Fault fault = faults.get(pick % faults.size());
      cloud.simulator.knobs().faults(fault.command(), CommandFaults.failNth(fault.nth(), 530));
      StackRecord failed;
      try {
        failed = update(back, pair.second()).orElseThrow();
      } finally {
        cloud.simulator.knobs().reset();
      }
      assertThat(failed.status()).as(() -> fault + " fails: " + failures(failed))
          .isEqualTo(StackStatus.UPDATE_ROLLBACK_COMPLETE);
      assertThat(exactInventory()).as(fault + " fails: the cloud's resources, ids included").isEqualTo(exact);
      assertThat(inventory(failed)).as(fault + " fails: the resources' properties").isEqualTo(asCreated);
    }
    deleteToNothing(stack);
  }

  /** The {@code nth} call of {@code command} (counted from the update's start) fails with a cloud error. */
  record Fault(String command, long nth) {}

  /**
   * The calls of an update's provision phase that change the cloud, each as the occurrence of its command: not reads,
   * not what the cleanup deletes (an undo call: an update that fails nothing deletes only in its cleanup; a key pair
   * is deleted by its name, so the call names no id), and not the tags of a resource the update created (submitted
   * and not waited for, so that their failure fails nothing).
   */
  private static List<Fault> provisionCalls(List<CallLog.Call> calls, Set<String> beforeIds) {
    Map<String, Integer> seen = new LinkedHashMap<>();
    List<Fault> faults = new ArrayList<>();
    for (CallLog.Call c : calls) {
      String cmd = c.command();
      if (cmd.startsWith("list") || cmd.startsWith("query")) {
        continue;
      }
      int nth = seen.merge(cmd, 1, Integer::sum);
      boolean namesOld = beforeIds.stream().anyMatch(c::names);
      boolean undo = Stream.of("delete", "destroy", "expunge", "revoke", "disassociate", "detach", "remove", "disable")
          .anyMatch(cmd.toLowerCase(Locale.ROOT)::startsWith) && !cmd.equals("deleteTags");
      if (undo || (cmd.equals("createTags") && !namesOld)) {
        continue;
      }
      faults.add(new Fault(cmd, nth));
    }
    return faults;
  }

  private static StackEngine engine() {
    return local.engine();
  }

  private static StackRecord create(String name, GeneratedTemplate t) throws Exception {
    StackRecord s = engine().createStack(CreateStackRequest.of(name, t.body(), t.parameters(cloudIds)));
    StackRecord done = engine().awaitSettled(s.stackId(), SETTLE);
    assertThat(done.status()).as(() -> "create " + t + ": " + failures(done)).isEqualTo(StackStatus.CREATE_COMPLETE);
    return done;
  }

  /** Updates the stack to {@code t} and waits for the update to end; empty when it changes nothing (refused). */
  private static Optional<StackRecord> update(StackRecord stack, GeneratedTemplate t) throws Exception {
    Map<String, ParameterValue> values = new LinkedHashMap<>();
    t.parameters(cloudIds).forEach((k, v) -> values.put(k, new ParameterValue.Given(v)));
    try {
      engine().updateStack(stack.stackId(), new UpdateRequest(t.body(), values));
    } catch (StackOperationException e) {
      if ("No updates are to be performed.".equals(e.getMessage())) {
        return Optional.empty();
      }
      throw e;
    }
    return Optional.of(engine().awaitSettled(stack.stackId(), SETTLE));
  }

  private static void deleteToNothing(StackRecord stack) throws Exception {
    StackRecord deleted = engine().awaitSettled(engine().deleteStack(stack.stackId()).stackId(), SETTLE);
    assertThat(deleted.status()).as(() -> "delete: " + failures(deleted)).isEqualTo(StackStatus.DELETE_COMPLETE);
    settle();
    assertThat(cloud.simulator.inventory().created()).as("the cloud after the stack's delete").isEmpty();
  }

  /** Waits for the cloud's jobs nobody waits for (tags) to end. */
  private static void settle() throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (cloud.simulator.inventory().pendingJobs() > 0 && System.nanoTime() < until) {
      Thread.sleep(20);
    }
  }

  private static List<String> inventory(StackRecord stack) throws InterruptedException {
    settle();
    Set<String> logicalIds = new HashSet<>(engine().resources(stack.stackId()).stream()
        .map(org.stacktician.engine.stack.ResourceRecord::logicalId).toList());
    logicalIds.addAll(List.of("Sg1", "Sg2", "In1", "In2", "Eg1", "Key", "Net", "Ip", "Fw", "Vol1", "Vol2", "AwsSg",
        "Vm1", "Att"));
    return NormalisedInventory.read(cloud.simulator, cloud.client, List.of(stack.stackId(), stack.stackName()),
        logicalIds);
  }

  private static Set<String> createdIds() throws InterruptedException {
    settle();
    return cloud.simulator.inventory().created().stream().map(i -> i.id()).collect(Collectors.toSet());
  }

  /** Every created resource by id: kind, name, state and tags. */
  private static Map<String, String> exactInventory() throws InterruptedException {
    settle();
    Map<String, String> out = new TreeMap<>();
    cloud.simulator.inventory().created().forEach(i -> out.put(i.kind() + " " + i.id(), i.name() + " " + i.state()
        + " " + new TreeMap<>(i.tags())));
    return out;
  }

  /** The stack's status and every failure event's reason, for assertion messages. */
  private static String failures(StackRecord s) {
    return s.status() + " " + s.statusReason() + " " + engine().events(s.stackId(), 0).stream()
        .filter(e -> e.status().endsWith("FAILED")).map(e -> e.logicalId() + " " + e.status() + ": " + e.statusReason())
        .toList();
  }
}
