package org.stacktician.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cli.CliRun;

/**
 * Rules with Fn::RefAll and Fn::ValueOf through the real CLI: decided against a simulator over HTTP
 * by create-stack and by plan with a cloud (a rule passing; a rule failing with its
 * AssertDescription, exit 1, in text and JSON), and reported as not evaluable offline by
 * validate-template and plan without one (a warning, exit 0).
 */
class RuleFunctionsCliTest {
  static final String TEMPLATE = """
      Parameters:
        Zone: {Type: CloudStack::Zone::Id}
      Rules:
        home:
          Assertions:
            - Assert: !Contains [!RefAll CloudStack::Zone::Name, !ValueOf [Zone, name]]
              AssertDescription: the zone must be one of the cloud's
            - Assert: !Equals [!ValueOf [Zone, name], Sandbox-simulator]
              AssertDescription: this application runs in Sandbox-simulator only
      Resources:
        Sg: {Type: CloudStack::SecurityGroup, Properties: {name: !Sub "${AWS::StackName}-sg"}}
      """;
  static final String OFFLINE = "Fn::RefAll, Fn::ValueOf cannot be evaluated offline: needs the cloud (the assertion"
      + " is checked when the stack is created or updated, or planned with a cloud)";

  @TempDir static Path tmp;
  static CliCloud cloud;
  static Path template;
  static String home;
  static String other;

  @BeforeAll
  static void start() throws Exception {
    cloud = new CliCloud();
    template = Files.writeString(tmp.resolve("rules.yaml"), TEMPLATE);
    home = cloud.idOf("listZones", "Sandbox-simulator", Map.of());
    other = cloud.idOf("listZones", "Sandbox-simulator-2", Map.of());
  }

  @AfterAll
  static void stop() {
    cloud.close();
  }

  private static CliRun create(String stack, String zone, String... extra) {
    List<String> args = new ArrayList<>(List.of("create-stack", stack, "--template-file", template.toString(),
        "-p", "Zone=" + zone));
    args.addAll(List.of(extra));
    return cloud.run(tmp.resolve("state-" + stack), args.toArray(String[]::new));
  }

  /** The cloud options of validate-template and plan (no state directory). */
  private static List<String> cloudOptions() {
    return List.of("--endpoint", cloud.simulator.endpoint().toString(), "--api-key",
        cloud.simulator.credentials().apiKey(), "--secret-key", cloud.simulator.credentials().secretKey(),
        "--no-cache");
  }

  private static CliRun stackmate(List<String> args, List<String> more) {
    List<String> all = new ArrayList<>(args);
    all.addAll(more);
    return CliRun.stackmate(all.toArray(String[]::new));
  }

  @Test
  void createStackChecksTheRulesAgainstTheCloudAndCreatesWhenTheyHold() throws Exception {
    CliRun r = create("home", home, "--output", "json");
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.json().path("Stack").path("StackStatus").asText()).isEqualTo("CREATE_COMPLETE");
  }

  @Test
  void createStackRefusesAStackWhoseRuleIsFalseInTheCloudWithItsDescription() throws Exception {
    CliRun text = create("away", other);
    assertThat(text.exit()).as(text.out() + text.err()).isEqualTo(1);
    assertThat(text.err()).startsWith("error: the stack was not created; " + template + ": 1 error")
        .contains(template + ":8:9: Rules/home/Assertions/1: this application runs in Sandbox-simulator only");

    CliRun json = create("away-json", other, "--output", "json");
    assertThat(json.exit()).isEqualTo(1);
    JsonNode errors = json.json().path("errors");
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).path("path").asText()).isEqualTo("Rules/home/Assertions/1");
    assertThat(errors.get(0).path("message").asText()).isEqualTo("this application runs in Sandbox-simulator only");
    assertThat(cloud.client.list("listSecurityGroups", Map.of("listall", "true")))
        .noneMatch(g -> g.path("name").asText().startsWith("away"));
  }

  @Test
  void planWithACloudDecidesTheRules() throws Exception {
    List<String> plan = List.of("plan", "--template-file", template.toString());
    CliRun away = stackmate(plan, concat(cloudOptions(), "-p", "Zone=" + other));
    assertThat(away.exit()).as(away.out() + away.err()).isEqualTo(1);
    assertThat(away.err()).contains("Rules/home/Assertions/1: this application runs in Sandbox-simulator only");

    CliRun ok = stackmate(plan, concat(cloudOptions(), "-p", "Zone=" + home, "--output", "json"));
    assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.json().path("warnings")).isEmpty();
  }

  @Test
  void offlineTheRulesThatNeedTheCloudAreReportedAsNotEvaluated() throws Exception {
    CliRun validate = CliRun.stackmate("validate-template", "--template-file", template.toString());
    assertThat(validate.exit()).as(validate.out() + validate.err()).isZero();
    assertThat(validate.err()).contains("warning: " + template + ":6:9: Rules/home/Assertions/0: " + OFFLINE,
        "warning: " + template + ":8:9: Rules/home/Assertions/1: Fn::ValueOf cannot be evaluated offline");

    CliRun json = CliRun.stackmate("validate-template", "--template-file", template.toString(), "--output", "json");
    assertThat(json.exit()).isZero();
    assertThat(json.json().path("warnings").get(0).path("message").asText()).isEqualTo(OFFLINE);

    // plan without a cloud: the values are known, the cloud is not; nothing is refused.
    CliRun plan = CliRun.stackmate("plan", "--template-file", template.toString(), "-p", "Zone=" + other);
    assertThat(plan.exit()).as(plan.out() + plan.err()).isZero();
    assertThat(plan.err()).contains("warning: " + template + ":6:9: Rules/home/Assertions/0: " + OFFLINE);
  }

  @Test
  void validateTemplateWithACloudChecksWhatTheRulesAskWithoutValues() throws Exception {
    Path typo = Files.writeString(tmp.resolve("typo.yaml"), TEMPLATE.replace("!ValueOf [Zone, name]]",
        "!ValueOf [Zone, nmae]]"));
    CliRun r = stackmate(List.of("validate-template", "--template-file", typo.toString()), cloudOptions());
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.err()).contains(typo + ":6:9: Rules/home/Assertions/0: Fn::ValueOf [Zone, nmae]: Zone objects "
        + "(listZones) have no attribute 'nmae'; did you mean 'name'?");

    CliRun ok = stackmate(List.of("validate-template", "--template-file", template.toString()), cloudOptions());
    assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.err()).doesNotContain("warning");
  }

  @Test
  void thePlanOfAnUpdateSaysWhichRulesItLeavesToTheUpdate() {
    CliRun created = create("preview", home);
    assertThat(created.exit()).as(created.out() + created.err()).isZero();
    CliRun r = stackmate(List.of("plan", "--stack", "preview", "--use-previous-template", "-p", "Zone=" + other,
        "--state-dir", tmp.resolve("state-preview").toString()), cloudOptions());
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.err()).contains("warning: current template of preview:6:9: Rules/home/Assertions/0: " + OFFLINE);
  }

  private static List<String> concat(List<String> a, String... b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(List.of(b));
    return all;
  }
}
