package org.stacktician.engine.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.stacktician.cloudstack.simulator.guest.SentSignal;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.StackEngine;
import org.stacktician.engine.StackValidationException;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.ResourceStatus;
import org.stacktician.engine.stack.StackEvent;
import org.stacktician.engine.stack.StackOutput;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.testing.SharedFiles;

/**
 * Done-when of the engine issue: every template of {@code ../shared/templates/stackmate/} that the
 * original StackMate could run creates on the embedded simulator (with the mapping file of the
 * test resources for the AWS:: ones), its wait conditions signalled by the simulator's guest
 * emulation, gives the expected outputs, and deletes leaving nothing in the inventory. One case
 * signals its wait condition with the real {@code cfn-signal} of heat-cfntools instead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OriginalTemplatesConformanceTest {
  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final Set<String> WAIT_CONDITIONS = Set.of("AWS::CloudFormation::WaitCondition",
      "StackMate::WaitCondition");

  Path stateDir;
  Path templates;
  ConformanceCloud cloud;

  @BeforeAll
  void start(@TempDir Path dir) {
    stateDir = dir;
    templates = SharedFiles.resolve("templates/stackmate");
    cloud = new ConformanceCloud(stateDir.resolve("guest"), true);
  }

  @AfterAll
  void stop() {
    if (cloud != null) {
      cloud.close();
    }
  }

  Stream<String> runnableTemplates() {
    List<String> names = new ArrayList<>();
    ConformanceCloud.cases().fieldNames().forEachRemaining(names::add);
    return names.stream();
  }

  @Test
  void everyShippedTemplateIsEitherRunOrExcludedWithAReason() throws IOException {
    Set<String> cases = runnableTemplates().collect(Collectors.toSet());
    Set<String> excluded = Set.of("nested", "auto_scaling_with_instance_profile", "XenDesktop_CloudStack_Basic");
    try (Stream<Path> files = Files.list(templates)) {
      Set<String> shipped = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".template"))
          .map(n -> n.substring(0, n.length() - ".template".length())).collect(Collectors.toSet());
      assertThat(shipped).as("shipped templates").isNotEmpty();
      Set<String> unaccounted = new java.util.TreeSet<>(shipped);
      unaccounted.removeAll(cases);
      unaccounted.removeAll(excluded);
      assertThat(unaccounted).as("templates neither run nor excluded (README: Conformance of the original templates)")
          .isEmpty();
      assertThat(ConformanceCloud.resource(ConformanceCloud.CASES)).contains("nested.template")
          .contains("auto_scaling_with_instance_profile.template").contains("XenDesktop_CloudStack_Basic.template");
    }
  }

  /**
   * XenDesktop_CloudStack_Basic refers to a parameter it does not declare (NetscalerDNSName, which
   * only the Advanced variant has); the original ran it only when the user passed that undeclared
   * name with -p. CloudFormation rejects such a template, and so does the engine, naming the Ref.
   */
  @Test
  void xenDesktopBasicIsRejectedForItsUndeclaredParameter() throws IOException {
    String body = Files.readString(templates.resolve("XenDesktop_CloudStack_Basic.template"), StandardCharsets.UTF_8);
    Map<String, String> params = cloud.parameters(ConformanceCloud.cases().path("XenDesktop_DIaaS_CloudStack_Basic")
        .path("parameters"));
    params.remove("TrustedDomainDNSServerIP");
    assertThatThrownBy(() -> cloud.local.engine().createStack(CreateStackRequest.of("c-xd-basic", body, params)))
        .isInstanceOf(StackValidationException.class).hasMessageContaining("NetscalerDNSName");
    assertThat(cloud.leftOver()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runnableTemplates")
  void createsWithOutputsAndDeletesLeavingNothing(String name) throws Exception {
    JsonNode spec = ConformanceCloud.cases().path(name);
    assumeFalse(spec.has("pending"), () -> name + " cannot run yet: " + spec.path("pending").asText());
    String stackName = "c-" + name.replace('_', '-');
    List<SentSignal> signalsBefore = cloud.simulator.guestSignals();

    StackRecord done = create(cloud, name, stackName, spec);

    StackEngine engine = cloud.local.engine();
    List<ResourceRecord> resources = engine.resources(done.stackId());
    long waitConditions = resources.stream().filter(r -> WAIT_CONDITIONS.contains(r.type())).count();
    if (waitConditions > 0) {
      Set<String> vms = resources.stream().map(ResourceRecord::physicalId).filter(java.util.Objects::nonNull)
          .collect(Collectors.toSet());
      List<SentSignal> sent = new ArrayList<>(cloud.simulator.guestSignals());
      sent.removeAll(signalsBefore);
      assertThat(sent).as("signals the simulated guests sent for the wait conditions")
          .filteredOn(s -> vms.contains(s.virtualMachineId()) && s.httpStatus() / 100 == 2 && "SUCCESS".equals(s.status()))
          .hasSizeGreaterThanOrEqualTo((int) waitConditions);
    }
    assertOutputs(done, spec.path("outputs"));
    deleteLeavingNothing(cloud, done);
  }

  @Test
  void theRealCfnSignalOfHeatCfntoolsReleasesTheWaitCondition() throws Exception {
    Path cfnSignal = Path.of("/usr/bin/cfn-signal");
    assumeTrue(Files.isExecutable(cfnSignal), "heat-cfntools' cfn-signal is not installed (apt-get install heat-cfntools)");
    String name = "Wordpress_CloudStack";
    JsonNode spec = ConformanceCloud.cases().path(name);
    try (ConformanceCloud quiet = new ConformanceCloud(stateDir.resolve("cfn-signal"), false)) {
      StackEngine engine = quiet.local.engine();
      String body = Files.readString(templates.resolve(name + ".template"), StandardCharsets.UTF_8);
      StackRecord s = engine.createStack(CreateStackRequest.of("wp-real-signal", body, quiet.parameters(spec.path("parameters"))));

      String handleUrl = awaitResource(engine, s.stackId(), "WaitHandle", ResourceStatus.CREATE_COMPLETE).physicalId();
      awaitResource(engine, s.stackId(), "WebServer", ResourceStatus.CREATE_COMPLETE);
      assertThat(engine.describeStack(s.stackId()).orElseThrow().status()).isEqualTo(StackStatus.CREATE_IN_PROGRESS);
      Process p = new ProcessBuilder(cfnSignal.toString(), "-e", "0", "-r", "WordPress setup complete",
          "-d", "wordpress-ready", "-i", "web-1", handleUrl).redirectErrorStream(true).start();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("cfn-signal ends").isTrue();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as("cfn-signal exit code; output: " + out).isZero();

      StackRecord done = engine.awaitSettled(s.stackId(), SETTLE);
      assertThat(done.status()).as(() -> story(engine, done)).isEqualTo(StackStatus.CREATE_COMPLETE);
      assertThat(quiet.simulator.guestSignals()).as("the simulated guest stayed silent").isEmpty();
      assertOutputs(done, spec.path("outputs"));
      deleteLeavingNothing(quiet, done);
    }
  }

  private StackRecord create(ConformanceCloud on, String name, String stackName, JsonNode spec) throws Exception {
    String body = Files.readString(templates.resolve(name + ".template"), StandardCharsets.UTF_8);
    StackEngine engine = on.local.engine();
    StackRecord s = engine.createStack(new CreateStackRequest(stackName, body, name + ".template",
        on.parameters(spec.path("parameters")), false, 10, null));
    StackRecord done = engine.awaitSettled(s.stackId(), SETTLE);
    assertThat(done.status()).as(() -> story(engine, done)).isEqualTo(StackStatus.CREATE_COMPLETE);
    assertThat(engine.resources(done.stackId())).isNotEmpty()
        .allSatisfy(r -> assertThat(r.status()).as(r.logicalId()).isEqualTo(ResourceStatus.CREATE_COMPLETE));
    return done;
  }

  private static void assertOutputs(StackRecord done, JsonNode expected) {
    Map<String, String> outputs = new LinkedHashMap<>();
    for (StackOutput o : done.outputs()) {
      outputs.put(o.key(), o.value());
    }
    Map<String, String> patterns = new LinkedHashMap<>();
    expected.fields().forEachRemaining(e -> patterns.put(e.getKey(), e.getValue().asText()));
    assertThat(outputs.keySet()).as("output names").containsExactlyInAnyOrderElementsOf(patterns.keySet());
    patterns.forEach((key, pattern) -> assertThat(outputs.get(key)).as("output " + key).matches(pattern));
  }

  private static void deleteLeavingNothing(ConformanceCloud on, StackRecord done) throws Exception {
    StackEngine engine = on.local.engine();
    StackRecord deleting = engine.deleteStack(done.stackId());
    StackRecord deleted = engine.awaitSettled(deleting.stackId(), SETTLE);
    assertThat(deleted.status()).as(() -> story(engine, deleted)).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(on.simulator.inventory().taggedWith("stacktician:stack-id", done.stackId()))
        .as("resources tagged with the stack").isEmpty();
    assertThat(on.leftOver()).as("nothing of the stack is left in the simulator's inventory").isEmpty();
  }

  private static ResourceRecord awaitResource(StackEngine engine, String stackId, String logicalId,
      ResourceStatus status) throws InterruptedException {
    long until = System.nanoTime() + SETTLE.toNanos();
    while (System.nanoTime() < until) {
      for (ResourceRecord r : engine.resources(stackId)) {
        if (r.logicalId().equals(logicalId) && r.status() == status) {
          return r;
        }
      }
      StackRecord s = engine.describeStack(stackId).orElseThrow();
      assertThat(s.status().settled()).as(() -> logicalId + " never reached " + status + ": " + story(engine, s)).isFalse();
      Thread.sleep(50);
    }
    throw new AssertionError(logicalId + " did not reach " + status + " within " + SETTLE);
  }

  /** The stack's events, for failure messages. */
  private static String story(StackEngine engine, StackRecord s) {
    StringBuilder sb = new StringBuilder(s.stackName() + " " + s.status() + " (" + s.statusReason() + ")");
    for (StackEvent e : engine.events(s.stackId(), 0)) {
      sb.append("\n  ").append(e.logicalId()).append(' ').append(e.status());
      if (e.statusReason() != null) {
        sb.append(": ").append(e.statusReason());
      }
    }
    return sb.toString();
  }
}
