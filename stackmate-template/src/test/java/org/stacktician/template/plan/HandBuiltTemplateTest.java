package org.stacktician.template.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stacktician.template.ParameterInput;
import org.stacktician.template.PlanResult;
import org.stacktician.template.Planner;
import org.stacktician.template.ResourceDefinition;
import org.stacktician.template.StackContext;
import org.stacktician.template.Template;

/** Templates built in code (no source text, no source map) plan, and their errors have no position. */
class HandBuiltTemplateTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private static ResourceDefinition resource(String id, ObjectNode properties, List<String> dependsOn) {
    return new ResourceDefinition(id, "CloudStack::Network", properties, dependsOn, null, null, null, null, null, null);
  }

  @Test
  void plansWithoutASourceMap() {
    Map<String, ResourceDefinition> resources = new LinkedHashMap<>();
    resources.put("A", resource("A", F.objectNode().put("name", "a"), List.of()));
    resources.put("B", resource("B", (ObjectNode) F.objectNode().set("peer", F.objectNode().put("Ref", "A")), List.of()));
    Template t = new Template("2010-09-09", null, null, Map.of(), F.objectNode(), Map.of(), resources, Map.of(), null);
    PlanResult r = Planner.plan(t, ParameterInput.none(), StackContext.forPlanning("code"));
    assertThat(r).isInstanceOf(PlanResult.Planned.class);
    assertThat(((PlanResult.Planned) r).plan().waves()).containsExactly(List.of("A"), List.of("B"));

    resources.put("C", resource("C", (ObjectNode) F.objectNode().set("x", F.objectNode().put("Ref", "C")), List.of()));
    PlanResult cyclic = Planner.plan(t, ParameterInput.none(), StackContext.forPlanning("code"));
    assertThat(cyclic).isInstanceOf(PlanResult.Rejected.class);
    assertThat(((PlanResult.Rejected) cyclic).errors().get(0).message())
        .isEqualTo("Template format error: Circular dependency between resources: [C]");
    assertThat(((PlanResult.Rejected) cyclic).errors().get(0).line()).isZero();
  }
}
