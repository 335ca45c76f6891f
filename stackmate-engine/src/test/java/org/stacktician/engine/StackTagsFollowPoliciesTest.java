package org.stacktician.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.stacktician.cloudstack.simulator.faults.CommandFaults;
import org.stacktician.cloudstack.simulator.http.CallLog;
import org.stacktician.engine.change.UpdateRequest;
import org.stacktician.engine.cloudstack.StackRetag;
import org.stacktician.engine.cloudstack.StackTags;
import org.stacktician.engine.cloudstack.TaggedResources;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.testing.SimulatedEngineTest;

/**
 * The engine's tags on the cloud follow the stack's policies, so that {@code delete-stack --by-tags} (which has only
 * the tags) does what the stack says: an update that changes a DeletionPolicy (alone, with other changes, or rolled
 * back) rewrites its tag, and a resource the stack retains (UpdateReplacePolicy or DeletionPolicy Retain) loses the
 * tags that make it the stack's. Real simulator, real H2 state, delete by tags from a second engine with no record.
 */
class StackTagsFollowPoliciesTest extends SimulatedEngineTest {
  private static final String TEMPLATE = """
      {"Resources": {
        "Kept": {"Type": "CloudStack::SecurityGroup", %s
                 "Properties": {"name": "kept", "tags": [{"Key": "tier", "Value": "%s"}]}}%s}}
      """;

  private static String template(String policy, String tier, String more) {
    return TEMPLATE.formatted(policy == null ? "" : "\"DeletionPolicy\": \"" + policy + "\",", tier, more);
  }

  private StackRecord settle(StackRecord started) throws Exception {
    return local.engine().awaitSettled(started.stackId(), Duration.ofSeconds(60));
  }

  private StackRecord update(String template) throws Exception {
    return settle(local.engine().updateStack("pol", new UpdateRequest(template, Map.of())));
  }

  private String physicalId(StackRecord s, String logicalId) {
    return local.engine().resources(s.stackId()).stream().filter(r -> r.logicalId().equals(logicalId)
        && r.status() != null && !r.status().gone()).map(ResourceRecord::physicalId).findFirst().orElseThrow();
  }

  /** The group's tags once the cloud's tag jobs (a create does not wait for them) are done. */
  private Map<String, String> tags(String groupId) throws InterruptedException {
    for (int i = 0; i < 200 && cloud.simulator.inventory().pendingJobs() > 0; i++) {
      Thread.sleep(25);
    }
    Map<String, String> out = new TreeMap<>();
    for (JsonNode t : cloud.client.list("listTags", Map.of("resourceid", groupId, "resourcetype", "SecurityGroup",
        "listall", "true"))) {
      out.put(t.path("key").asText(), t.path("value").asText());
    }
    return out;
  }

  private List<String> groups() {
    return cloud.client.list("listSecurityGroups", Map.of("listall", "true")).stream()
        .map(g -> g.path("name").asText()).filter(n -> !n.equals("default")).sorted().toList();
  }

  /** {@code delete-stack --by-tags pol} as the CLI runs it: another engine, no record, only the cloud's tags. */
  private StackRecord deleteByTags() throws Exception {
    List<StackEngine.FoundResource> found = new ArrayList<>();
    for (TaggedResources.TaggedResource t : TaggedResources.findByStackName(cloud.client, "pol")) {
      found.add(new StackEngine.FoundResource(t.stackId(), t.logicalId(), t.type(), t.resourceId(), t.resourceType(),
          t.stackName(), t.rootStackId(), t.deletionPolicy()));
    }
    try (LocalEngine other = cloud.engine(dir.resolve("other"))) {
      StackRecord started = other.engine().deleteFoundResources("pol", found);
      return other.engine().awaitSettled(started.stackId(), Duration.ofSeconds(60));
    }
  }

  @Test
  void anUpdateOfTheDeletionPolicyRewritesItsTagAloneAndDeleteByTagsHonoursIt() throws Exception {
    StackRecord v1 = settle(local.engine().createStack(CreateStackRequest.of("pol", template(null, "a", ""),
        Map.of())));
    assertThat(v1.status()).as(v1.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);
    String kept = physicalId(v1, "Kept");
    assertThat(tags(kept)).doesNotContainKey(StackTags.DELETION_POLICY).containsEntry("tier", "a");

    // Only the policy changes: its tag is rewritten, with no other call on the group.
    cloud.simulator.calls().clear();
    StackRecord v2 = update(template("Retain", "a", ""));
    assertThat(v2.status()).as(v2.statusReason()).isEqualTo(StackStatus.UPDATE_COMPLETE);
    assertThat(tags(kept)).containsEntry(StackTags.DELETION_POLICY, "Retain").containsEntry("tier", "a");
    assertThat(cloud.simulator.calls().calls()).filteredOn(c -> c.names(kept)).extracting(CallLog.Call::command)
        .isNotEmpty().allMatch(c -> c.equals("listTags") || c.equals("createTags") || c.equals("deleteTags"));
    assertThat(physicalId(v2, "Kept")).isEqualTo(kept);

    // The policy and a tag change in an update that fails: its rollback puts both back.
    cloud.simulator.knobs().faults("authorizeSecurityGroupIngress", new CommandFaults(1.0, 431, null, null, null,
        null, null, null));
    StackRecord failed = update(template(null, "b", """
        ,
        "Rule": {"Type": "CloudStack::SecurityGroupIngress", "DependsOn": "Kept", "Properties": {
                 "securitygroupid": {"Ref": "Kept"}, "protocol": "tcp", "startport": 22, "endport": 22,
                 "cidrlist": "10.0.0.0/8"}}"""));
    cloud.simulator.knobs().reset();
    assertThat(failed.status()).as(failed.statusReason()).isEqualTo(StackStatus.UPDATE_ROLLBACK_COMPLETE);
    assertThat(tags(kept)).containsEntry(StackTags.DELETION_POLICY, "Retain").containsEntry("tier", "a");

    // The policy and a tag change together.
    StackRecord v3 = update(template(null, "b", ""));
    assertThat(v3.status()).as(v3.statusReason()).isEqualTo(StackStatus.UPDATE_COMPLETE);
    assertThat(tags(kept)).doesNotContainKey(StackTags.DELETION_POLICY).containsEntry("tier", "b")
        .containsEntry(StackTags.STACK_NAME, "pol");

    StackRecord v4 = update(template("Retain", "b", ""));
    assertThat(v4.status()).as(v4.statusReason()).isEqualTo(StackStatus.UPDATE_COMPLETE);
    assertThat(tags(kept)).containsEntry(StackTags.DELETION_POLICY, "Retain");

    // Only the tags say what to do here: Retain keeps the group, and it is no longer the stack's.
    StackRecord deleted = deleteByTags();
    assertThat(deleted.status()).as(deleted.statusReason()).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(groups()).containsExactly("pol-kept");
    assertThat(tags(kept)).doesNotContainKey(StackTags.STACK_NAME).containsEntry("tier", "b")
        .containsEntry(StackTags.STACK_ID, StackRetag.RETAINED_PREFIX + v1.stackId());
    assertThat(TaggedResources.findByStackName(cloud.client, "pol")).isEmpty();
  }

  @Test
  void anAwsResourcesPolicyTagIsRewrittenOnTheIdItIsTaggedBy() throws Exception {
    String aws = """
        {"Resources": {"Sg": {"Type": "AWS::EC2::SecurityGroup", %s "Properties": {"GroupDescription": "web"}}}}
        """;
    StackRecord v1 = settle(local.engine().createStack(CreateStackRequest.of("pol", aws.formatted(""), Map.of())));
    assertThat(v1.status()).as(v1.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);
    // Its physical id is the group's name; its tags are on the group's id.
    String groupId = local.engine().resources(v1.stackId()).getFirst().attributes().get("GroupId").asText();
    assertThat(tags(groupId)).containsEntry(StackTags.LOGICAL_ID, "Sg").doesNotContainKey(StackTags.DELETION_POLICY);

    cloud.simulator.calls().clear();
    StackRecord v2 = update(aws.formatted("\"DeletionPolicy\": \"Retain\","));
    assertThat(v2.status()).as(v2.statusReason()).isEqualTo(StackStatus.UPDATE_COMPLETE);
    assertThat(tags(groupId)).containsEntry(StackTags.DELETION_POLICY, "Retain");
    assertThat(cloud.simulator.calls().calls()).filteredOn(c -> c.names(groupId)).extracting(CallLog.Call::command)
        .isNotEmpty().allMatch(c -> c.equals("listTags") || c.equals("createTags") || c.equals("deleteTags"));

    StackRecord deleted = deleteByTags();
    assertThat(deleted.status()).as(deleted.statusReason()).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(groups()).as("kept by the policy its tag gives").hasSize(1);
  }

  @Test
  void aResourceRetainedWhenReplacedOrDeletedIsNoLongerTheStacks() throws Exception {
    String replaced = """
        {"Resources": {
          "Old": {"Type": "CloudStack::SecurityGroup", "UpdateReplacePolicy": "Retain",
                  "Properties": {"name": "%s", "description": "%s"}},
          "Kept": {"Type": "CloudStack::SecurityGroup", "DeletionPolicy": "Retain", "Properties": {"name": "kept"}},
          "Gone": {"Type": "CloudStack::SecurityGroup", "Properties": {"name": "gone"}}}}
        """;
    StackRecord v1 = settle(local.engine().createStack(CreateStackRequest.of("pol", replaced.formatted("one", "first"),
        Map.of())));
    assertThat(v1.status()).as(v1.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);
    String one = physicalId(v1, "Old");
    String kept = physicalId(v1, "Kept");
    assertThat(tags(one)).containsEntry(StackTags.STACK_NAME, "pol");

    // The description needs a new group: the old one stays in the cloud (UpdateReplacePolicy), not as the stack's.
    StackRecord v2 = update(replaced.formatted("two", "second"));
    assertThat(v2.status()).as(v2.statusReason()).isEqualTo(StackStatus.UPDATE_COMPLETE);
    assertThat(groups()).containsExactly("pol-gone", "pol-kept", "pol-one", "pol-two");
    assertThat(tags(one)).doesNotContainKey(StackTags.STACK_NAME).containsEntry(StackTags.LOGICAL_ID, "Old")
        .containsEntry(StackTags.STACK_ID, StackRetag.RETAINED_PREFIX + v1.stackId());
    assertThat(local.engine().events(v2.stackId(), 0)).filteredOn(e -> e.logicalId().equals("Old")
        && e.status().equals("DELETE_SKIPPED")).singleElement().satisfies(e -> assertThat(e.statusReason())
        .isEqualTo("Retained (UpdateReplacePolicy: Retain); the resource still exists in the cloud, no longer tagged"
            + " as the stack's"));

    // A delete by tags takes the stack's groups but leaves the retained one (and keeps Kept by its policy).
    StackRecord byTags = deleteByTags();
    assertThat(byTags.status()).as(byTags.statusReason()).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(groups()).containsExactly("pol-kept", "pol-one");
    assertThat(tags(kept)).doesNotContainKey(StackTags.STACK_NAME)
        .containsEntry(StackTags.STACK_ID, StackRetag.RETAINED_PREFIX + v1.stackId());
  }

  @Test
  void aResourceADeleteRetainsIsNoLongerFoundAsTheStacks() throws Exception {
    String template = """
        {"Resources": {
          "Kept": {"Type": "CloudStack::SecurityGroup", "DeletionPolicy": "Retain", "Properties": {"name": "kept"}},
          "Gone": {"Type": "CloudStack::SecurityGroup", "Properties": {"name": "gone"}}}}
        """;
    StackRecord v1 = settle(local.engine().createStack(CreateStackRequest.of("pol", template, Map.of())));
    assertThat(v1.status()).as(v1.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);
    String kept = physicalId(v1, "Kept");

    StackRecord deleted = settle(local.engine().deleteStack("pol"));
    assertThat(deleted.status()).as(deleted.statusReason()).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(groups()).containsExactly("pol-kept");
    assertThat(tags(kept)).doesNotContainKey(StackTags.STACK_NAME).containsEntry(StackTags.DELETION_POLICY, "Retain")
        .containsEntry(StackTags.STACK_ID, StackRetag.RETAINED_PREFIX + v1.stackId());
    // A later stack of the same name is found alone by its tags (not with what the deleted one retained).
    assertThat(TaggedResources.findByStackName(cloud.client, "pol")).isEmpty();
  }
}
