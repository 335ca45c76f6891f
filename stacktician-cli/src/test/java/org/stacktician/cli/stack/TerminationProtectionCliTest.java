package org.stacktician.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cli.CliRun;

/** Termination protection through the CLI on a real simulator: delete-stack refused while it is on. */
class TerminationProtectionCliTest {
  @TempDir Path tmp;

  @Test
  void deleteIsRefusedWhileProtectionIsOnAndAllowedOnceItIsOff() throws Exception {
    try (CliCloud cloud = new CliCloud()) {
      Path state = tmp.resolve("state");
      Path template = Files.writeString(tmp.resolve("sg.json"), StackCommandsTest.TEMPLATE);
      CliRun created = cloud.run(state, "create-stack", "web", "--template-file", template.toString(),
          "--enable-termination-protection");
      assertThat(created.exit()).as(created.out() + created.err()).isZero();
      assertThat(CliCloud.local(state, "describe-stacks", "web", "--output", "json").json()
          .at("/Stacks/0/EnableTerminationProtection").asBoolean()).isTrue();
      assertThat(CliCloud.local(state, "describe-stacks", "web").out())
          .contains("termination protection: enabled");

      CliRun refused = cloud.run(state, "delete-stack", "web");
      assertThat(refused.exit()).isEqualTo(1);
      assertThat(refused.err()).contains("Stack [web] cannot be deleted while TerminationProtection is enabled");
      assertThat(cloud.client.list("listSecurityGroups", Map.of("name", "web-sg"))).hasSize(1);

      CliRun off = CliCloud.local(state, "update-termination-protection", "web", "--disable");
      assertThat(off.exit()).as(off.err()).isZero();
      assertThat(off.out()).contains("Termination protection of stack web is disabled.");
      assertThat(CliCloud.local(state, "describe-stacks", "web", "--output", "json").json()
          .at("/Stacks/0/EnableTerminationProtection").asBoolean()).isFalse();

      CliRun deleted = cloud.run(state, "delete-stack", "web");
      assertThat(deleted.exit()).as(deleted.out() + deleted.err()).isZero();
      assertThat(cloud.client.list("listSecurityGroups", Map.of("name", "web-sg"))).isEmpty();
    }
  }

  @Test
  void protectionIsTurnedOnLaterAndBadInputIsReported() throws Exception {
    try (CliCloud cloud = new CliCloud()) {
      Path state = tmp.resolve("state2");
      Path template = Files.writeString(tmp.resolve("sg2.json"), StackCommandsTest.TEMPLATE);
      assertThat(cloud.run(state, "create-stack", "app", "--template-file", template.toString()).exit()).isZero();
      assertThat(CliCloud.local(state, "describe-stacks", "app", "--output", "json").json()
          .at("/Stacks/0/EnableTerminationProtection").asBoolean()).isFalse();

      assertThat(CliCloud.local(state, "update-termination-protection", "app", "--enable").exit()).isZero();
      CliRun refused = cloud.run(state, "delete-stack", "app");
      assertThat(refused.err()).contains("Stack [app] cannot be deleted while TerminationProtection is enabled");

      CliRun both = CliCloud.local(state, "update-termination-protection", "app", "--enable", "--disable");
      assertThat(both.exit()).isEqualTo(2);
      assertThat(both.err()).contains("mutually exclusive");
      CliRun neither = CliCloud.local(state, "update-termination-protection", "app");
      assertThat(neither.exit()).isEqualTo(2);
      CliRun missing = CliCloud.local(state, "update-termination-protection", "nope", "--enable");
      assertThat(missing.exit()).isEqualTo(1);
      assertThat(missing.err()).contains("error: Stack with id nope does not exist");
    }
  }
}
