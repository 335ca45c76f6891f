package org.stacktician.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cli.CliRun;
import org.stacktician.cloudstack.simulator.faults.CommandFaults;

/**
 * {@code stackmate update-stack}, {@code continue-update-rollback}, {@code cancel-update-stack} and {@code
 * rollback-stack} through the real CLI on a real simulator: an update that replaces a rule streams its events and
 * exits 0 at UPDATE_COMPLETE, one that changes nothing is refused, one that fails rolls back and exits 1 (or, with
 * --disable-rollback, stops UPDATE_FAILED until rollback-stack rolls it back).
 */
class UpdateStackCliTest {
  @TempDir Path tmp;
  CliCloud cloud;
  Path state;
  Path template;

  @BeforeEach
  void create() throws Exception {
    cloud = new CliCloud();
    state = tmp.resolve("state");
    template = Files.writeString(tmp.resolve("sg.json"), StackCommandsTest.TEMPLATE);
    CliRun created = cloud.run(state, "create-stack", "web", "--template-file", template.toString(), "-p", "Port=8080",
        "-p", "Secret=first-secret");
    assertThat(created.exit()).as(created.out() + created.err()).isZero();
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  private String ports() {
    return cloud.client.list("listSecurityGroups", Map.of("listall", "true")).stream()
        .flatMap(g -> java.util.stream.StreamSupport.stream(g.path("ingressrule").spliterator(), false))
        .map(r -> r.path("startport").asText()).sorted().toList().toString();
  }

  @Test
  void anUpdateStreamsItsEventsAndExitsZeroWhenComplete() throws Exception {
    CliRun r = cloud.run(state, "update-stack", "web", "--use-previous-template", "-p", "Port=9090",
        "-p", "Secret=UsePreviousValue");

    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("Updating stack web").contains("UPDATE_IN_PROGRESS")
        .contains("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS").contains("Rule").contains("DELETE_COMPLETE")
        .doesNotContain("first-secret");
    assertThat(ports()).isEqualTo("[9090]");

    CliRun again = cloud.run(state, "update-stack", "web", "--template-file", template.toString(), "-p", "Port=9090",
        "-p", "Secret=UsePreviousValue");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("No updates are to be performed.");

    CliRun described = CliCloud.local(state, "describe-stacks", "web", "--output", "json");
    assertThat(described.json().at("/Stacks/0/StackStatus").asText()).isEqualTo("UPDATE_COMPLETE");
  }

  @Test
  void aFailedUpdateRollsBackAndExitsOne() {
    cloud.simulator.knobs().faults("authorizeSecurityGroupIngress", CommandFaults.failNth(1, 530));
    CliRun r = cloud.run(state, "update-stack", "web", "--use-previous-template", "-p", "Port=9090",
        "-p", "Secret=UsePreviousValue");

    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out()).contains("UPDATE_ROLLBACK_IN_PROGRESS").contains("UPDATE_ROLLBACK_COMPLETE")
        .contains("authorizeSecurityGroupIngress");
    assertThat(ports()).as("the rule as before").isEqualTo("[8080]");

    CliRun cont = cloud.run(state, "continue-update-rollback", "web");
    assertThat(cont.exit()).isEqualTo(1);
    assertThat(cont.err()).contains("UPDATE_ROLLBACK_COMPLETE").contains("only a stack in UPDATE_ROLLBACK_FAILED");
    CliRun cancel = CliCloud.local(state, "cancel-update-stack", "web");
    assertThat(cancel.exit()).isEqualTo(1);
    assertThat(cancel.err()).contains("CancelUpdateStack cannot be called from current stack status");
  }

  @Test
  void withDisableRollbackAFailedUpdateStopsUpdateFailedAndRollbackStackRollsItBack() throws Exception {
    cloud.simulator.knobs().faults("authorizeSecurityGroupIngress", CommandFaults.failNth(1, 530));
    CliRun r = cloud.run(state, "update-stack", "web", "--use-previous-template", "-p", "Port=9090",
        "-p", "Secret=UsePreviousValue", "--disable-rollback");

    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out()).contains("UPDATE_FAILED").doesNotContain("UPDATE_ROLLBACK_IN_PROGRESS");
    CliRun described = CliCloud.local(state, "describe-stacks", "web", "--output", "json");
    assertThat(described.json().at("/Stacks/0/StackStatus").asText()).isEqualTo("UPDATE_FAILED");
    CliRun cont = cloud.run(state, "continue-update-rollback", "web");
    assertThat(cont.exit()).isEqualTo(1);
    assertThat(cont.err()).contains("only a stack in UPDATE_ROLLBACK_FAILED");

    CliRun rollback = cloud.run(state, "rollback-stack", "web");
    assertThat(rollback.exit()).as(rollback.out() + rollback.err()).isZero();
    assertThat(rollback.out()).contains("Rolling back stack web").contains("UPDATE_ROLLBACK_COMPLETE");
    assertThat(ports()).as("the rule as before").isEqualTo("[8080]");
    CliRun again = cloud.run(state, "rollback-stack", "web");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("only a stack in CREATE_FAILED or UPDATE_FAILED");
  }

  @Test
  void updateStackNeedsATemplateChoiceAndAnExistingStack() {
    CliRun none = cloud.run(state, "update-stack", "web", "-p", "Port=1");
    assertThat(none.exit()).isNotZero();
    assertThat(none.err()).contains("--template-file").contains("--use-previous-template");
    CliRun missing = cloud.run(state, "update-stack", "nope", "--use-previous-template");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("Stack with id nope does not exist");
  }
}
