package org.stacktician.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cli.CliRun;

/** {@code delete-stack --by-tags} on a parent stack also deletes its nested stacks' resources, children first. */
class NestedDeleteByTagsTest {
  static final String PARAMETERS = """
      "Parameters": {"ZoneId": {"Type": "String"}, "TemplateId": {"Type": "String"}, "OfferingId": {"Type": "String"}}""";
  static final String CHILD = "{" + PARAMETERS + """
      ,
       "Resources": {
         "Group": {"Type": "CloudStack::SecurityGroup", "Properties": {"name": {"Fn::Sub": "${AWS::StackName}-group"}}},
         "Vm": {"Type": "CloudStack::VirtualMachine", "Properties": {"zoneid": {"Ref": "ZoneId"},
                "templateid": {"Ref": "TemplateId"}, "serviceofferingid": {"Ref": "OfferingId"},
                "securitygroupids": {"Ref": "Group"}}}}}
      """;
  static final String PARENT = "{" + PARAMETERS + """
      ,
       "Resources": {
         "Sg": {"Type": "CloudStack::SecurityGroup", "Properties": {"name": {"Fn::Sub": "${AWS::StackName}-sg"}}},
         "Child": {"Type": "AWS::CloudFormation::Stack", "DependsOn": "Sg", "Properties": {"TemplateURL": "%s",
                   "Parameters": {"ZoneId": {"Ref": "ZoneId"}, "TemplateId": {"Ref": "TemplateId"},
                                  "OfferingId": {"Ref": "OfferingId"}}}}}}
      """;

  @TempDir Path tmp;
  CliCloud cloud;

  @BeforeEach
  void start() {
    cloud = new CliCloud();
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  @Test
  void aParentDeletedByTagsTakesItsNestedStacksResourcesWithIt() throws Exception {
    Path child = Files.writeString(tmp.resolve("child.json"), CHILD);
    Path parent = Files.writeString(tmp.resolve("parent.json"), PARENT.formatted(child.toUri()));
    List<String> create = new ArrayList<>(List.of("create-stack", "app", "--template-file", parent.toString()));
    create.addAll(cloud.machineParameters());
    CliRun created = cloud.run(tmp.resolve("a"), create.toArray(String[]::new));
    assertThat(created.exit()).as(created.out() + created.err()).isZero();
    assertThat(cloud.client.list("listVirtualMachines", Map.of())).as("the nested stack's machine runs").hasSize(1);

    // No record of either stack here: only the tags in the cloud.
    CliRun deleted = cloud.run(tmp.resolve("b"), "delete-stack", "app", "--by-tags");
    assertThat(deleted.exit()).as(deleted.out() + deleted.err()).isZero();
    assertThat(deleted.out()).contains("Stack app: DELETE_COMPLETE");

    assertThat(cloud.client.list("listVirtualMachines", Map.of())).as(deleted.out()).isEmpty();
    List<JsonNode> groups = cloud.client.list("listSecurityGroups", Map.of());
    assertThat(groups).as(deleted.out()).extracting(g -> g.path("name").asText()).containsOnly("default");
    assertThat(cloud.simulator.inventory().created()).as(deleted.out()).isEmpty();
  }
}
