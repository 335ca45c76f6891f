package org.stacktician.template.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.stacktician.template.Plan;
import org.stacktician.template.Resolution;
import org.stacktician.template.ResourceValues;
import org.stacktician.template.Template;
import org.stacktician.template.TemplateFixtures;
import org.stacktician.testing.SharedFiles;

/**
 * cfn-lint's resolver cases (corpus/cfnlint/RESOLVER_CASES.json): every function object cfn-lint
 * calls invalid fails here too, and the valid cases that do not depend on cfn-lint's own fixture
 * resolve to the same value.
 */
class CfnLintResolverConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** cfn-lint checks GetAZs regions against AWS's list; on CloudStack any region names the cloud's zones. */
  private static final Set<String> NOT_APPLICABLE = Set.of("Invalid GetAZs with an invalid region");

  /** Valid cases whose expected value does not depend on cfn-lint's fixture template. */
  private static final Map<String, String> VALID = Map.of(
      "Valid Join with a list of strings", "\"a.b.c\"",
      "Valid Sub with a resolvable values", "\"foo-bar\"",
      "Valid Sub with empty parameters", "\"foo\"",
      "Valid FindInMap with bad keys and a default value", "\"default\"",
      "Valid FindInMap with a bad mapping and default", "\"default\"",
      "Valid FindInMap with a bad top key and default", "\"default\"",
      "Valid FindInMap with a bad second key and default", "\"default\"",
      "Valid FindInMap with integer types", "\"Value\"",
      "Invalid FindInMap with no mappings and default value", "\"default\"");

  private static final String FIXTURE = """
      Mappings:
        foo:
          first: {second: bar}
        integers:
          "1": {"2": Value}
      Resources:
        R: {Type: A::B}
      """;

  private static List<JsonNode> cases(String test) throws IOException {
    JsonNode all = JSON.readTree(SharedFiles.resolve("corpus/cfnlint/RESOLVER_CASES.json").toFile());
    List<JsonNode> out = new ArrayList<>();
    all.forEach(c -> {
      if (test == null || c.get("test").asText().equals(test)) {
        out.add(c);
      }
    });
    return out;
  }

  private static Resolution resolve(JsonNode instance) {
    Template t = TemplateFixtures.load(FIXTURE);
    Plan plan = TemplateFixtures.plan(t, Map.of());
    return plan.evaluator().resolve(instance, "Resources/R/Properties/Value", ResourceValues.NONE);
  }

  @Test
  void everyInvalidFunctionFails() throws IOException {
    List<JsonNode> invalid = cases("test_invalid_functions");
    assertThat(invalid).hasSizeGreaterThan(20);
    int checked = 0;
    for (JsonNode c : invalid) {
      String name = c.get("name").asText();
      if (NOT_APPLICABLE.contains(name)) {
        continue;
      }
      assertThat(resolve(c.get("instance"))).as(name + ": " + c.get("instance")).isInstanceOf(Resolution.Failed.class);
      checked++;
    }
    assertThat(checked).isEqualTo(invalid.size() - NOT_APPLICABLE.size());
  }

  @Test
  void refOfARefFails() throws IOException {
    JsonNode c = cases("test_resolvers_ref").get(0);
    assertThat(resolve(c.get("instance"))).isInstanceOf(Resolution.Failed.class);
  }

  @Test
  void validCasesResolveToTheSameValue() throws IOException {
    int checked = 0;
    for (JsonNode c : cases(null)) {
      String expected = VALID.get(c.get("name").asText());
      if (expected == null) {
        continue;
      }
      Resolution r = resolve(c.get("instance"));
      assertThat(r).as(c.get("name").asText()).isEqualTo(new Resolution.Resolved(JSON.readTree(expected)));
      assertThat(JSON.readTree(expected)).isEqualTo(c.get("expected_resolutions").get(0));
      checked++;
    }
    assertThat(checked).isEqualTo(VALID.size());
  }
}
