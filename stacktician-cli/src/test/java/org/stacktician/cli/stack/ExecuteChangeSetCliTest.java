package org.stacktician.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cli.CliRun;
import org.stacktician.cloudstack.simulator.faults.CommandFaults;

/**
 * execute-change-set through the CLI on a real simulator: the stack is updated as the change set
 * says (events streamed, exit 0 only for UPDATE_COMPLETE), the change set is EXECUTE_COMPLETE and the
 * stack's other change sets OBSOLETE; a failed execution rolls back and is EXECUTE_FAILED.
 */
class ExecuteChangeSetCliTest {
  @TempDir Path tmp;

  private static String status(Path state, String changeSet) throws Exception {
    return CliCloud.local(state, "describe-change-set", "web", "--change-set-name", changeSet, "-o", "json").json()
        .get("ExecutionStatus").asText();
  }

  private static List<String> ports(CliCloud cloud) {
    JsonNode group = cloud.client.list("listSecurityGroups", Map.of("securitygroupname", "web-sg")).get(0);
    return group.findValuesAsText("startport");
  }

  @Test
  void aChangeSetUpdatesTheStackAndMakesTheOthersObsolete() throws Exception {
    try (CliCloud cloud = new CliCloud()) {
      Path state = tmp.resolve("state");
      Path template = Files.writeString(tmp.resolve("sg.json"), StackCommandsTest.TEMPLATE);
      CliRun created = cloud.run(state, "create-stack", "web", "--template-file", template.toString(),
          "-p", "Port=8080");
      assertThat(created.exit()).as(created.out() + created.err()).isZero();
      for (String[] cs : new String[][] {{"port", "9090"}, {"other", "7070"}, {"failing", "6060"}}) {
        CliRun made = cloud.run(state, "create-change-set", "web", "--change-set-name", cs[0],
            "--use-previous-template", "-p", "Port=" + cs[1], "-p", "Secret=UsePreviousValue");
        assertThat(made.exit()).as(made.out() + made.err()).isZero();
      }

      CliRun executed = cloud.run(state, "execute-change-set", "web", "--change-set-name", "port");
      assertThat(executed.exit()).as(executed.out() + executed.err()).isZero();
      assertThat(executed.out()).contains("Executing change set port: updating stack web")
          .contains("UPDATE_IN_PROGRESS").contains("Stack web: UPDATE_COMPLETE");
      assertThat(ports(cloud)).containsExactly("9090");
      assertThat(status(state, "port")).isEqualTo("EXECUTE_COMPLETE");
      assertThat(status(state, "other")).isEqualTo("OBSOLETE");
      CliRun obsolete = cloud.run(state, "execute-change-set", "web", "--change-set-name", "other");
      assertThat(obsolete.exit()).isEqualTo(1);
      assertThat(obsolete.err()).contains("ChangeSet [other] cannot be executed in its current execution status of"
          + " [OBSOLETE]");
      CliRun again = cloud.run(state, "execute-change-set", "web", "--change-set-name", "port");
      assertThat(again.exit()).isEqualTo(1);
      assertThat(again.err()).contains("[EXECUTE_COMPLETE]");
      assertThat(ports(cloud)).containsExactly("9090");
      // The replaced rule is the stack's now: the stack is in sync with the change set's values.
      JsonNode drift = cloud.run(state, "detect-stack-drift", "web", "-o", "json").json();
      assertThat(drift.get("StackDriftStatus").asText()).as(drift.toString()).isEqualTo("IN_SYNC");
      assertThat(drift.get("StackResourceDrifts").findValuesAsText("StackResourceDriftStatus"))
          .containsExactly("IN_SYNC", "IN_SYNC");
    }
  }

  @Test
  void aFailedExecutionRollsBackAndIsExecuteFailed() throws Exception {
    try (CliCloud cloud = new CliCloud()) {
      Path state = tmp.resolve("state2");
      Path template = Files.writeString(tmp.resolve("sg2.json"), StackCommandsTest.TEMPLATE);
      assertThat(cloud.run(state, "create-stack", "web", "--template-file", template.toString(),
          "-p", "Port=8080").exit()).isZero();
      assertThat(cloud.run(state, "create-change-set", "web", "--change-set-name", "port",
          "--use-previous-template", "-p", "Port=9090", "-p", "Secret=UsePreviousValue").exit()).isZero();
      cloud.simulator.knobs().faults("authorizeSecurityGroupIngress", CommandFaults.failNth(1, 530));

      CliRun executed = cloud.run(state, "execute-change-set", "web", "--change-set-name", "port", "-o", "json");
      assertThat(executed.exit()).as(executed.out() + executed.err()).isEqualTo(1);
      assertThat(executed.json().at("/Stack/StackStatus").asText()).isEqualTo("UPDATE_ROLLBACK_COMPLETE");
      assertThat(ports(cloud)).containsExactly("8080");
      assertThat(status(state, "port")).isEqualTo("EXECUTE_FAILED");
    }
  }
}
