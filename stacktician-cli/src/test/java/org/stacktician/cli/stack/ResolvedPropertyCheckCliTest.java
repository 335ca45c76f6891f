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
 * What a user sees when a property whose reference resolves only at create time gets a value its
 * type refuses: {@code stackmate create-stack} against a simulator fails that resource, before its
 * create call, with the property's path and the message the same value written literally gets, rolls
 * back to nothing and exits 1; in text (the events table) and in JSON (the stack's events).
 */
class ResolvedPropertyCheckCliTest {
  static final String TEMPLATE = """
      Parameters:
        ZoneId: {Type: String}
        DiskOfferingId: {Type: String}
      Resources:
        Sg: {Type: CloudStack::SecurityGroup, Properties: {name: !Sub "${AWS::StackName}-sg"}}
        Vol:
          Type: CloudStack::Volume
          Properties: {name: data, zoneid: !Ref ZoneId, diskofferingid: !Ref DiskOfferingId, size: !GetAtt Sg.name}
      """;
  static final String REASON = "Resources/Vol/Properties/size: must be an integer, got \"late-sg\"";

  @TempDir static Path tmp;
  static CliCloud cloud;
  static Path template;

  @BeforeAll
  static void start() throws Exception {
    cloud = new CliCloud();
    template = Files.writeString(tmp.resolve("late.yaml"), TEMPLATE);
  }

  @AfterAll
  static void stop() {
    cloud.close();
  }

  private CliRun create(String stateDir, String... extra) {
    List<String> args = new ArrayList<>(List.of("create-stack", "late", "--template-file", template.toString(),
        "-p", "ZoneId=" + cloud.idOf("listZones", "Sandbox-simulator", Map.of()),
        "-p", "DiskOfferingId=" + cloud.idOf("listDiskOfferings", "Small", Map.of())));
    args.addAll(List.of(extra));
    return cloud.run(tmp.resolve(stateDir), args.toArray(String[]::new));
  }

  private static void nothingWasCreated() {
    assertThat(cloud.simulator.inventory().created()).as("rolled back to nothing").isEmpty();
    assertThat(cloud.client.list("listVolumes", Map.of("listall", "true"))).as("createVolume was never called")
        .isEmpty();
  }

  @Test
  void inTextTheFailedResourceShowsThePathAndMessageAndTheRunExits1() {
    CliRun r = create("text");
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
    String failedLine = r.out().lines().filter(l -> l.contains("Vol") && l.contains("CREATE_FAILED")).findFirst()
        .orElseThrow(() -> new AssertionError("no CREATE_FAILED event for Vol in:\n" + r.out()));
    assertThat(failedLine).contains(REASON);
    assertThat(r.out()).contains("ROLLBACK_COMPLETE");
    nothingWasCreated();
  }

  @Test
  void inJsonTheStacksEventsCarryThePathAndMessageAndTheRunExits1() throws Exception {
    CliRun r = create("json", "--output", "json");
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
    JsonNode json = r.json();
    assertThat(json.path("Stack").path("StackStatus").asText()).isEqualTo("ROLLBACK_COMPLETE");
    List<String> reasons = new ArrayList<>();
    json.path("StackEvents").forEach(e -> {
      if (e.path("LogicalResourceId").asText().equals("Vol") && e.path("ResourceStatus").asText().equals("CREATE_FAILED")) {
        reasons.add(e.path("ResourceStatusReason").asText());
      }
    });
    assertThat(reasons).containsExactly(REASON);
    nothingWasCreated();
  }
}
