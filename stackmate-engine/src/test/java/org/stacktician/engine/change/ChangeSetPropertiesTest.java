package org.stacktician.engine.change;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.stacktician.engine.change.ResourceChange.Action;
import org.stacktician.engine.provider.ProviderContext;
import org.stacktician.engine.provider.registry.ProviderRegistry;
import org.stacktician.template.StackContext;

/** Laws of change sets over random templates of custom resources that refer to earlier ones. */
class ChangeSetPropertiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ChangeSetCalculator CALCULATOR =
      ChangeSetCalculator.using(ProviderRegistry.builder(ProviderContext.builder().build()).builtIns().build());

  /** A resource: its value and whether it refers to an earlier resource (by index, -1 none; by GetAtt or Ref). */
  record Node(String value, int refersTo, boolean getAtt) {}

  @Provide
  Arbitrary<List<Node>> templates() {
    Arbitrary<Node> node = Combinators.combine(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6),
        Arbitraries.integers().between(-1, 8), Arbitraries.of(true, false)).as(Node::new);
    return node.list().ofMinSize(1).ofMaxSize(8);
  }

  static String template(List<Node> nodes) {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("Parameters").putObject("P").put("Type", "String").put("Default", "p");
    ObjectNode resources = root.putObject("Resources");
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      ObjectNode props = resources.putObject("R" + i).put("Type", "Custom::Thing").putObject("Properties");
      props.put("ServiceToken", "http://127.0.0.1:1/");
      props.put("Value", n.value());
      props.putObject("FromParameter").put("Ref", "P");
      if (n.refersTo() >= 0 && n.refersTo() < i) {
        if (n.getAtt()) {
          props.putArray("Other").add(JSON.createObjectNode().set("Fn::GetAtt",
              JSON.createArrayNode().add("R" + n.refersTo()).add("Out")));
        } else {
          props.putObject("Other").put("Ref", "R" + n.refersTo());
        }
      }
    }
    return root.toString();
  }

  private static ChangeSet diff(String current, String next) {
    StackSnapshot snapshot = new StackSnapshot("s", current, Map.of("P", "p"), Map.of());
    ChangeSetResult r = CALCULATOR.compute(snapshot, new UpdateRequest(next, Map.of()), StackContext.forPlanning("s"));
    assertThat(r).isInstanceOf(ChangeSetResult.Computed.class);
    return ((ChangeSetResult.Computed) r).changeSet();
  }

  @Property(tries = 60)
  void aTemplateAgainstItselfChangesNothing(@ForAll("templates") List<Node> nodes) {
    String t = template(nodes);
    ChangeSet cs = diff(t, t);
    assertThat(cs.changes()).isEmpty();
    assertThat(cs.noUpdates()).isTrue();
  }

  @Property(tries = 60)
  void fromATemplateWithNothingInCommonEveryResourceIsAddedAndTheOldOneRemoved(@ForAll("templates") List<Node> nodes) {
    String seed = "{\"Parameters\": {\"P\": {\"Type\": \"String\"}}, \"Resources\": "
        + "{\"Seed\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\"}}}";
    ChangeSet cs = diff(seed, template(nodes));
    List<ResourceChange> expected = new ArrayList<>();
    expected.add(ResourceChange.remove("Seed", null, "AWS::CloudFormation::WaitConditionHandle"));
    for (int i = 0; i < nodes.size(); i++) {
      expected.add(ResourceChange.add("R" + i, "Custom::Thing"));
    }
    assertThat(cs.changes()).containsExactlyElementsOf(expected);
  }

  @Property(tries = 60)
  void changingOneValueModifiesThatResourceAndOnlyWhatReadsItsAttributes(@ForAll("templates") List<Node> nodes,
      @ForAll int pick) {
    int changed = Math.floorMod(pick, nodes.size());
    List<Node> next = new ArrayList<>(nodes);
    Node n = nodes.get(changed);
    next.set(changed, new Node(n.value() + "x", n.refersTo(), n.getAtt()));
    ChangeSet cs = diff(template(nodes), template(next));
    assertThat(cs.changes()).allMatch(c -> c.action() == Action.MODIFY);
    assertThat(cs.changes()).anyMatch(c -> c.logicalResourceId().equals("R" + changed)
        && c.details().contains(new ChangeDetail(new Target(Target.Attribute.PROPERTIES, "Value",
            Target.RequiresRecreation.NEVER), ChangeDetail.Evaluation.STATIC, ChangeDetail.Source.DIRECT_MODIFICATION,
            null)));
    // a custom resource updates in place, so a Ref to it never changes; only GetAtt readers follow
    for (ResourceChange c : cs.changes()) {
      if (!c.logicalResourceId().equals("R" + changed)) {
        assertThat(c.details()).allMatch(d -> d.changeSource() == ChangeDetail.Source.RESOURCE_ATTRIBUTE);
      }
      assertThat(c.replacement()).isEqualTo(ResourceChange.Replacement.FALSE);
    }
  }
}
