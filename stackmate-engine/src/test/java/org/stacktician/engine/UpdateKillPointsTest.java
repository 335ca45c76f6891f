package org.stacktician.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cloudstack.simulator.faults.CommandFaults;
import org.stacktician.engine.change.UpdateRequest;
import org.stacktician.engine.change.UpdateRequest.ParameterValue;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.state.EngineDatabase;
import org.stacktician.engine.state.JdbiStateStore;
import org.stacktician.engine.state.StateStore;
import org.stacktician.engine.testing.DyingStore;
import org.stacktician.engine.testing.SimulatedCloud;

/**
 * An engine killed at each step of an update, and at each step of an update's rollback, is finished by a second
 * engine on the same H2 file with nothing created twice and nothing left behind. The steps are not picked by hand:
 * an uninterrupted reference run lists every distinct step the engine records (each resource's status and the call
 * its callback context says is running: the replacement's create, each in-place update call — stop, change, start,
 * tags —, each delete, the stack's phases with their outputs and exports), and each run dies right before the commit
 * that records one of them, after the calls that commit would have recorded were made (the worst moment: the cloud
 * did something the database does not know). The resumed stack must end as the reference did, with the cloud's
 * inventory (ids replaced by the logical ids the stack records for them) exactly the reference's.
 */
class UpdateKillPointsTest {
  /** A group with a rule, a VM in it whose name refers to the rule, an output and an export of the rule. */
  static final String T1 = """
      {"Parameters": {"ZoneId": {"Type": "String"}, "TemplateId": {"Type": "String"},
                      "OfferingId": {"Type": "String"}, "Label": {"Type": "String", "Default": "one"},
                      "Cidr": {"Type": "String", "Default": "0.0.0.0/0"}},
       "Resources": {
         "Sg": {"Type": "CloudStack::SecurityGroup", "Properties": {"name": {"Fn::Sub": "${AWS::StackName}-sg"}}},
         "Http": {"Type": "CloudStack::SecurityGroupIngress", "Properties": {"securitygroupid": {"Ref": "Sg"},
                  "protocol": "tcp", "startport": 80, "endport": 80, "cidrlist": {"Ref": "Cidr"}}},
         "Vm": {"Type": "CloudStack::VirtualMachine", "Properties": {
                  "zoneid": {"Ref": "ZoneId"}, "templateid": {"Ref": "TemplateId"},
                  "serviceofferingid": {"Ref": "OfferingId"}, "securitygroupids": {"Ref": "Sg"},
                  "displayname": {"Fn::Join": ["-", [{"Ref": "Label"}, {"Ref": "Http"}]]},
                  "tags": [{"Key": "tier", "Value": {"Ref": "Label"}}]}}%s},
       "Outputs": {"Rule": {"Value": {"Ref": "Http"}, "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-rule"}}},
                   "Label": {"Value": {"Ref": "Label"}}}}
      """;
  /** An added volume whose create always fails (the simulator fails every createVolume): the update rolls back. */
  static final String FAILING_DISK = """
      ,
         "Disk": {"Type": "CloudStack::Volume", "DependsOn": "Vm", "Properties": {"name": "data",
                  "zoneid": {"Ref": "ZoneId"}, "diskofferingid": {"Ref": "DiskOfferingId"}}}""";
  static final String NAME = "killed";

  /** How many runs go at once. */
  static final int PARALLEL_RUNS = 6;

  @TempDir Path tmp;
  final AtomicInteger runs = new AtomicInteger();

  /** One update: the template it updates to, its values (on a given cloud), and whether it fails (and rolls back). */
  private record Scenario(String template, java.util.function.Function<SimulatedCloud, Map<String, String>> values,
      boolean failing) {}

  private static Map<String, String> updateValues(SimulatedCloud cloud) {
    return Map.of("ZoneId", "UsePreviousValue", "TemplateId", "UsePreviousValue",
        "OfferingId", cloud.idOf("listServiceOfferings", "Medium Instance", Map.of()), "Label", "two",
        "Cidr", "10.0.0.0/8");
  }

  private static Scenario update() {
    return new Scenario(T1.formatted(""), UpdateKillPointsTest::updateValues, false);
  }

  private static Scenario failingUpdate() {
    String template = T1.formatted(FAILING_DISK).replace("\"Cidr\": {", "\"DiskOfferingId\": {\"Type\": \"String\"},"
        + " \"Cidr\": {");
    return new Scenario(template, cloud -> {
      Map<String, String> values = new LinkedHashMap<>(updateValues(cloud));
      values.put("DiskOfferingId", cloud.idOf("listDiskOfferings", "Small", Map.of()));
      return values;
    }, true);
  }

  @TestFactory
  Stream<DynamicTest> anUpdateKilledAtEachOfItsStepsIsFinishedByTheNextEngine() throws Exception {
    return killedAtEachStep(update(), StackStatus.UPDATE_COMPLETE);
  }

  @TestFactory
  Stream<DynamicTest> anUpdateRollbackKilledAtEachOfItsStepsIsFinishedByTheNextEngine() throws Exception {
    return killedAtEachStep(failingUpdate(), StackStatus.UPDATE_ROLLBACK_COMPLETE);
  }

  private Stream<DynamicTest> killedAtEachStep(Scenario scenario, StackStatus expected) throws Exception {
    Run reference = run(scenario, c -> false);
    assertThat(reference.done.status()).as(reference.done.statusReason()).isEqualTo(expected);
    if (scenario.failing) {
      assertThat(reference.inventory).as("the rollback leaves the cloud as before the update")
          .isEqualTo(reference.before);
    }
    // Every step the reference recorded, but the update's start (committed by the request, before any step); of a
    // failing update, the steps of its rollback (the update's own are the other scenario's).
    List<String> steps = new ArrayList<>();
    boolean[] counting = {!scenario.failing};
    reference.commits.stream().skip(1).forEach(c -> {
      counting[0] |= steps(c).contains("stack " + StackStatus.UPDATE_ROLLBACK_IN_PROGRESS);
      if (counting[0]) {
        steps(c).stream().filter(s -> !steps.contains(s)).forEach(steps::add);
      }
    });
    assertThat(steps).as("the steps of the reference run").hasSizeGreaterThan(10);
    // The runs are independent (a cloud and a state file each) and mostly wait on the cloud: a few at a time.
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_RUNS, r -> {
      Thread t = new Thread(r, "kill-point-run");
      t.setDaemon(true);
      return t;
    });
    Map<String, Future<Run>> runs = new LinkedHashMap<>();
    for (String step : steps) {
      runs.put(step, pool.submit(() -> run(scenario, c -> steps(c).contains(step))));
    }
    pool.shutdown();
    return steps.stream().map(step -> DynamicTest.dynamicTest("killed before recording " + step, () -> {
      Run killed;
      try {
        killed = runs.get(step).get(5, TimeUnit.MINUTES);
      } catch (ExecutionException e) {
        throw e.getCause();
      }
      assertThat(killed.died).as("the engine reached " + step).isTrue();
      assertThat(killed.done.status()).as(killed.done.statusReason() + " " + killed.events).isEqualTo(expected);
      assertThat(killed.inventory).as("the cloud as the uninterrupted update left it; events: " + killed.events)
          .isEqualTo(reference.inventory);
    }));
  }

  /**
   * On PostgreSQL (the server's database), an update runs and, killed while its replacement's create and while its
   * VM's in-place update run, is finished by a second engine; so is a rollback killed while it updates the VM back.
   */
  @org.junit.jupiter.api.Test
  void onPostgresAKilledUpdateAndAKilledRollbackAreFinishedByASecondEngine() throws Exception {
    org.stacktician.engine.state.StoreKey key = org.stacktician.engine.state.StoreKey.random("update kill test");
    record Case(Scenario scenario, String step, StackStatus expected) {}
    List<Case> cases = List.of(
        new Case(update(), null, StackStatus.UPDATE_COMPLETE),
        new Case(update(), "Http' v2 UPDATE_IN_PROGRESS create", StackStatus.UPDATE_COMPLETE),
        new Case(update(), "Vm v2 UPDATE_IN_PROGRESS startVirtualMachine", StackStatus.UPDATE_COMPLETE),
        new Case(failingUpdate(), "Vm v1 UPDATE_IN_PROGRESS stopVirtualMachine", StackStatus.UPDATE_ROLLBACK_COMPLETE));
    Map<Boolean, Map<String, Integer>> reference = new java.util.HashMap<>();
    for (Case c : cases) {
      org.stacktician.testing.TestPostgres.Schema schema = org.stacktician.testing.TestPostgres.freshSchema();
      try {
        Run run = run(c.scenario, ch -> c.step != null && steps(ch).contains(c.step), () -> EngineDatabase.open(
            schema.jdbcUrl(), schema.user(), schema.password(), 8, false, key));
        assertThat(run.died).as("the engine reached " + c.step).isEqualTo(c.step != null);
        assertThat(run.done.status()).as(run.done.statusReason() + " " + run.events).isEqualTo(c.expected);
        Map<String, Integer> expected = c.scenario.failing ? run.before : reference.get(false);
        if (expected != null) {
          assertThat(run.inventory).as("killed before " + c.step + "; events: " + run.events).isEqualTo(expected);
        }
        reference.putIfAbsent(c.scenario.failing, run.inventory);
      } finally {
        org.stacktician.testing.TestPostgres.drop(schema);
      }
    }
  }

  /**
   * The steps a commit records: the stack's status, and each row's logical id (primed for a replacement), version,
   * status and the call its callback context says is running.
   */
  static Set<String> steps(StateStore.Changes c) {
    Set<String> out = new LinkedHashSet<>();
    if (c.stack() != null) {
      out.add("stack " + c.stack().status());
    }
    for (ResourceRecord r : c.resources()) {
      out.add(r.logicalId() + (r.replaces() != null ? "'" : "") + " v" + r.templateVersion() + " " + r.status() + " "
          + call(r.callbackContext()));
    }
    return out;
  }

  private static String call(ObjectNode ctx) {
    if (ctx == null) {
      return "(no call recorded)";
    }
    for (String field : List.of("api", "step")) {
      if (ctx.hasNonNull(field)) {
        return ctx.get(field).asText();
      }
    }
    return String.join("+", (Iterable<String>) ctx::fieldNames);
  }

  /** What one run did: the commits of its first engine, how the stack ended, the cloud before and after. */
  private record Run(List<StateStore.Changes> commits, boolean died, StackRecord done, List<String> events,
      Map<String, Integer> before, Map<String, Integer> inventory) {}

  /**
   * Creates the stack, updates it with an engine whose store dies at the first commit {@code dies} picks, lets a
   * second engine on the same file finish it, and deletes it (asserting that nothing is left in the cloud).
   */
  private Run run(Scenario scenario, Predicate<StateStore.Changes> dies) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("run" + runs.incrementAndGet()));
    return run(scenario, dies, () -> EngineDatabase.h2File(dir));
  }

  /** As {@link #run(Scenario, Predicate)} on the database {@code database} opens (each engine opens it anew). */
  private static Run run(Scenario scenario, Predicate<StateStore.Changes> dies,
      java.util.function.Supplier<EngineDatabase> database) throws Exception {
    try (SimulatedCloud cloud = new SimulatedCloud()) {
      boolean[] armed = {false};
      DyingStore[] dying = new DyingStore[1];
      Map<String, Integer> before;
      String stackId;
      int armedAt;
      try (StackEngine first = engine(cloud, database.get(), real -> {
        dying[0] = DyingStore.over(real, c -> armed[0] && dies.test(c));
        return dying[0].store();
      })) {
        StackRecord created = first.awaitSettled(first.createStack(CreateStackRequest.of(NAME, T1.formatted(""),
            cloud.machineParameters())).stackId(), Duration.ofSeconds(60));
        assertThat(created.status()).as(created.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);
        stackId = created.stackId();
        before = inventory(cloud, first.store(), stackId);
        if (scenario.failing) {
          cloud.simulator.knobs().faults("createVolume", CommandFaults.errorRate(1.0, 530));
        }
        Map<String, ParameterValue> given = new LinkedHashMap<>();
        scenario.values.apply(cloud).forEach((k, v) -> given.put(k, ParameterValue.parse(v)));
        armedAt = dying[0].commits().size();
        armed[0] = true;
        first.updateStack(NAME, new UpdateRequest(scenario.template, given));
        awaitDeadOrSettled(first, dying[0], stackId);
      }
      List<StateStore.Changes> commits = dying[0].commits();
      try (StackEngine second = engine(cloud, database.get(), real -> real)) {
        StackRecord done = second.awaitSettled(stackId, Duration.ofSeconds(90));
        List<String> events = second.events(stackId, 0).stream()
            .map(e -> e.logicalId() + " " + e.status() + (e.statusReason() == null ? "" : " (" + e.statusReason() + ")"))
            .toList();
        Map<String, Integer> after = inventory(cloud, second.store(), stackId);
        cloud.simulator.knobs().reset();
        StackRecord deleted = second.awaitSettled(second.deleteStack(stackId).stackId(), Duration.ofSeconds(60));
        assertThat(deleted.status()).as(deleted.statusReason()).isEqualTo(StackStatus.DELETE_COMPLETE);
        awaitNoPendingJobs(cloud);
        assertThat(cloud.simulator.inventory().created()).as("nothing left after the delete; events: " + events)
            .isEmpty();
        return new Run(commits.subList(armedAt, commits.size()), dying[0].dead(), done, events, before, after);
      }
    }
  }

  private static StackEngine engine(SimulatedCloud cloud, EngineDatabase db,
      java.util.function.UnaryOperator<StateStore> store) {
    StackEngine e = StackEngine.builder().database(db).store(store.apply(new JdbiStateStore(db)))
        .providerContext(cloud.base).options(EngineFixture.fastOptions()).build();
    e.start();
    return e;
  }

  private static void awaitDeadOrSettled(StackEngine engine, DyingStore store, String stackId) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!store.dead()) {
      try {
        if (engine.store().findStack(stackId).orElseThrow().status().settled()) {
          return;
        }
      } catch (DyingStore.KilledException e) {
        return; // the engine died between the check and the look (its store refuses every call from then on)
      }
      assertThat(System.nanoTime()).as("the update neither died nor ended").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static void awaitNoPendingJobs(SimulatedCloud cloud) throws InterruptedException {
    for (int i = 0; i < 200 && cloud.simulator.inventory().pendingJobs() > 0; i++) {
      Thread.sleep(25);
    }
  }

  /**
   * The cloud as far as the stack can change it, each id replaced by the logical id the stack records it for (primed
   * for an update's replacement; an id it does not know stays, so a duplicate or a leak shows): how many of each
   * resource (kind, name, state, tags), each VM's name, offering and state, each rule of each group; and the stack's
   * outputs and exports.
   */
  private static Map<String, Integer> inventory(SimulatedCloud cloud, StateStore store, String stackId)
      throws InterruptedException {
    awaitNoPendingJobs(cloud);
    Map<String, String> ids = new TreeMap<>(Comparator.comparing(String::length).reversed()
        .thenComparing(Comparator.naturalOrder()));
    ids.put(stackId, "<stack>");
    for (ResourceRecord r : store.resources(stackId)) {
      if (r.physicalId() != null) {
        for (String id : r.physicalId().split(",")) {
          ids.put(id, "<" + r.logicalId() + (r.replaces() != null ? "'" : "") + ">");
        }
      }
    }
    List<String> items = new ArrayList<>();
    cloud.simulator.inventory().created().forEach(i -> items.add(i.kind() + " " + i.id() + " " + i.name() + " "
        + i.state() + " " + new TreeMap<>(i.tags())));
    for (JsonNode vm : cloud.client.list("listVirtualMachines", Map.of("listall", "true"))) {
      items.add("VM " + vm.path("id").asText() + " " + vm.path("displayname").asText() + " "
          + vm.path("serviceofferingname").asText() + " " + vm.path("state").asText());
    }
    for (JsonNode sg : cloud.client.list("listSecurityGroups", Map.of("listall", "true"))) {
      sg.path("ingressrule").forEach(r -> items.add("rule " + r.path("ruleid").asText() + " of " + sg.path("id").asText()
          + " " + r.path("protocol").asText() + ":" + r.path("startport").asText() + ":" + r.path("cidr").asText()));
    }
    StackRecord stack = store.findStack(stackId).orElseThrow();
    stack.outputs().forEach(o -> items.add("output " + o.key() + " = " + o.value()));
    store.listExports(stack.scope()).stream().filter(e -> e.stackId().equals(stackId))
        .forEach(e -> items.add("export " + e.exportName() + " = " + e.value()));
    Map<String, Integer> out = new TreeMap<>();
    for (String item : items) {
      String normalized = item;
      for (Map.Entry<String, String> e : ids.entrySet()) {
        normalized = normalized.replace(e.getKey(), e.getValue());
      }
      out.merge(normalized, 1, Integer::sum);
    }
    return out;
  }
}
