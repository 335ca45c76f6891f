package org.stacktician.template.properties;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.stacktician.template.LoadResult;
import org.stacktician.template.ParameterInput;
import org.stacktician.template.PlanResult;
import org.stacktician.template.Planner;
import org.stacktician.template.Resolution;
import org.stacktician.template.ResourceValues;
import org.stacktician.template.StackContext;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateLoader;

/**
 * Random and mutated templates only ever produce validation errors: loading, planning and
 * resolving never throw, and every error has a message and a sane position.
 */
class NeverCrashPropertiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final List<String> IDS = List.of("A", "B", "C", "Web", "Db", "P1", "P2", "Cond", "M", "X");
  private static final List<String> FUNCTIONS = List.of("Ref", "Fn::GetAtt", "Fn::Join", "Fn::Sub", "Fn::Select",
      "Fn::Split", "Fn::FindInMap", "Fn::Base64", "Fn::GetAZs", "Fn::Cidr", "Fn::ImportValue", "Fn::If",
      "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not", "Condition", "Fn::Length", "Fn::ToJsonString", "Fn::Lookup",
      "Fn::Nope", "Fn::ForEach");
  private static final List<String> TYPES = List.of("String", "Number", "List<Number>", "CommaDelimitedList",
      "CloudStack::Zone::Name", "AWS::EC2::KeyPair::KeyName", "Bogus");

  static final String SAMPLE = """
      AWSTemplateFormatVersion: "2010-09-09"
      Parameters:
        Zone: {Type: CloudStack::Zone::Name, Default: z1}
        Size: {Type: String, Default: small, AllowedValues: [small, large]}
        Ports: {Type: List<Number>, Default: "80,443"}
      Mappings:
        Sizes: {small: {Offering: S}, large: {Offering: L}}
      Conditions:
        Big: !Equals [!Ref Size, large]
        NotBig: !Not [!Condition Big]
      Resources:
        Group:
          Type: CloudStack::SecurityGroup
          Properties: {name: !Sub "${AWS::StackName}-sg", ports: !Ref Ports}
        Vm:
          Type: CloudStack::VirtualMachine
          DependsOn: Group
          Properties:
            zonename: !Ref Zone
            offering: !FindInMap [Sizes, !Ref Size, Offering]
            group: !GetAtt Group.id
            data: !Base64 {Fn::Join: ["-", [!Select [0, !Split [",", "a,b"]], !Ref Zone]]}
            extra: !If [Big, !Cidr ["10.0.0.0/16", 2, 8], !Ref AWS::NoValue]
        Disk:
          Type: CloudStack::Volume
          Condition: Big
          Properties: {size: !Length [1, 2], json: !ToJsonString {a: !Ref Vm}}
      Outputs:
        Ip: {Value: !GetAtt Vm.ipaddress, Export: {Name: !Sub "${AWS::StackName}-ip"}}
      """;

  private static void assertOnlyErrors(LoadResult result) {
    net.jqwik.api.statistics.Statistics.label("outcome").collect(result.getClass().getSimpleName());
    if (result instanceof LoadResult.Invalid invalid) {
      assertThat(invalid.errors()).isNotEmpty();
      invalid.errors().forEach(NeverCrashPropertiesTest::assertSane);
    } else {
      var template = ((LoadResult.Loaded) result).template();
      Map<String, String> values = new java.util.HashMap<>(Map.of("P1", "1", "Zone", "z", "A", "a,b"));
      values.keySet().retainAll(template.parameters().keySet());
      PlanResult plan = Planner.plan(template, new ParameterInput(values),
          StackContext.forPlanning("prop").withAvailabilityZones(List.of("z1")));
      net.jqwik.api.statistics.Statistics.label("plan").collect(plan.getClass().getSimpleName());
      if (plan instanceof PlanResult.Rejected rejected) {
        rejected.errors().forEach(NeverCrashPropertiesTest::assertSane);
      } else {
        var p = ((PlanResult.Planned) plan).plan();
        p.redacted();
        for (var r : template.resources().values()) {
          Resolution res = p.evaluator().resolve(r.properties(), "Resources/" + r.logicalId() + "/Properties",
              ResourceValues.NONE);
          assertThat(res).isNotNull();
        }
      }
    }
  }

  private static void assertSane(TemplateError e) {
    assertThat(e.message()).isNotBlank();
    assertThat(e.line()).isNotNegative();
    assertThat(e.column()).isNotNegative();
    assertThat(e.path()).isNotNull();
  }

  @Property(tries = 300)
  void randomTemplatesOnlyProduceErrors(@ForAll("templates") JsonNode template) throws Exception {
    assertOnlyErrors(TemplateLoader.load(JSON.writeValueAsString(template), "random"));
  }

  @Property(tries = 300)
  void mutatedYamlOnlyProducesErrors(@ForAll("mutations") String text) {
    assertOnlyErrors(TemplateLoader.load(text, "mutated"));
  }

  @Property(tries = 200)
  void mutatedJsonOnlyProducesErrors(@ForAll("jsonMutations") String text) {
    assertOnlyErrors(TemplateLoader.load(text, "mutated"));
  }

  @Property(tries = 200)
  void randomBytesOnlyProduceErrors(@ForAll byte[] bytes) {
    assertOnlyErrors(TemplateLoader.load(bytes, "bytes"));
  }

  @Property(tries = 50)
  void theSampleItselfPlans(@ForAll @IntRange(min = 0, max = 1) int big) {
    LoadResult r = TemplateLoader.load(SAMPLE, "sample");
    assertThat(r).isInstanceOf(LoadResult.Loaded.class);
    PlanResult p = Planner.plan(((LoadResult.Loaded) r).template(),
        new ParameterInput(Map.of("Size", big == 1 ? "large" : "small")), StackContext.forPlanning("s"));
    assertThat(p).isInstanceOf(PlanResult.Planned.class);
  }

  @Provide
  Arbitrary<String> mutations() {
    return mutate(SAMPLE);
  }

  @Provide
  Arbitrary<String> jsonMutations() throws Exception {
    LoadResult r = TemplateLoader.load(SAMPLE, "sample");
    JsonNode root = ((LoadResult.Loaded) r).template().sourceMap().root();
    return mutate(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
  }

  private static Arbitrary<String> mutate(String base) {
    Arbitrary<Integer> position = Arbitraries.integers().between(0, base.length() - 1);
    Arbitrary<String> snippet = Arbitraries.of("{", "}", "[", "]", ":", ",", "\"", "!Ref ", "!GetAtt X.", "- ", "\n",
        "  ", "&a ", "*a", "!!binary ", "${", "Fn::If", "null", "~", "\t", "#", "'", "Resources", "Type: ",
        "\u00ff", "\uD83D\uDE00");
    Arbitrary<String> one = Combinators.combine(position, position, snippet, Arbitraries.integers().between(0, 2))
        .as((at, other, text, kind) -> switch (kind) {
          case 0 -> base.substring(0, at) + text + base.substring(at);
          case 1 -> base.substring(0, Math.min(at, other)) + base.substring(Math.max(at, other));
          default -> base.substring(0, at) + text + base.substring(Math.min(base.length(), at + text.length()));
        });
    return one;
  }

  @Provide
  Arbitrary<JsonNode> templates() {
    Arbitrary<JsonNode> value = values(3);
    Arbitrary<ObjectNode> parameters = Arbitraries.maps(Arbitraries.of(IDS),
        Combinators.combine(Arbitraries.of(TYPES), value, Arbitraries.of(true, false)).as((type, def, echo) -> {
          ObjectNode p = F.objectNode();
          p.put("Type", type);
          if (def.isValueNode()) {
            p.set("Default", def);
          }
          if (echo) {
            p.put("NoEcho", true);
          }
          return (JsonNode) p;
        })).ofMaxSize(3).map(NeverCrashPropertiesTest::object);
    Arbitrary<ObjectNode> resources = Arbitraries.maps(Arbitraries.of(IDS),
        Combinators.combine(Arbitraries.of("CloudStack::VirtualMachine", "AWS::EC2::Instance", "Custom::X", "Bad"),
            value, Arbitraries.of(IDS).list().ofMaxSize(2)).as((type, props, deps) -> {
              ObjectNode r = F.objectNode();
              r.put("Type", type);
              r.set("Properties", props.isObject() ? props : F.objectNode().set("P", props));
              if (!deps.isEmpty()) {
                ArrayNode d = r.putArray("DependsOn");
                deps.forEach(d::add);
              }
              return (JsonNode) r;
            })).ofMinSize(1).ofMaxSize(5).map(NeverCrashPropertiesTest::object);
    Arbitrary<ObjectNode> conditions = Arbitraries.maps(Arbitraries.of(IDS), value).ofMaxSize(2)
        .map(NeverCrashPropertiesTest::object);
    Arbitrary<ObjectNode> outputs = Arbitraries.maps(Arbitraries.of(IDS),
        value.map(v -> (JsonNode) F.objectNode().set("Value", v))).ofMaxSize(2).map(NeverCrashPropertiesTest::object);
    return Combinators.combine(parameters, resources, conditions, outputs).as((p, r, c, o) -> {
      ObjectNode t = F.objectNode();
      t.set("Parameters", p);
      t.set("Mappings", F.objectNode().set("M", F.objectNode().set("A", F.objectNode().put("B", "v"))));
      t.set("Conditions", c);
      t.set("Resources", r);
      t.set("Outputs", o);
      return (JsonNode) t;
    });
  }

  private static ObjectNode object(Map<String, JsonNode> members) {
    ObjectNode o = F.objectNode();
    members.forEach(o::set);
    return o;
  }

  private Arbitrary<JsonNode> values(int depth) {
    return values(depth, IDS);
  }

  /** Random expressions over the names the sample template defines, inserted into it: most of these load. */
  @Provide
  Arbitrary<String> sampleWithRandomExpressions() throws Exception {
    JsonNode root = ((LoadResult.Loaded) TemplateLoader.load(SAMPLE, "sample")).template().sourceMap().root();
    List<String> names = List.of("Zone", "Size", "Ports", "Group", "Vm", "Big", "NotBig", "Sizes", "Offering",
        "small", "AWS::Region");
    return values(3, names).list().ofMinSize(1).ofMaxSize(4).map(exprs -> {
      ObjectNode copy = root.deepCopy();
      ObjectNode props = (ObjectNode) copy.at("/Resources/Disk/Properties");
      for (int i = 0; i < exprs.size(); i++) {
        props.set("random" + i, exprs.get(i));
      }
      try {
        return JSON.writeValueAsString(copy);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Property(tries = 300)
  void randomExpressionsInAValidTemplateOnlyProduceErrors(@ForAll("sampleWithRandomExpressions") String text) {
    LoadResult r = TemplateLoader.load(text, "expressions");
    assertOnlyErrors(r);
    if (r instanceof LoadResult.Loaded loaded) {
      PlanResult big = Planner.plan(loaded.template(), new ParameterInput(Map.of("Size", "large")),
          StackContext.forPlanning("big"));
      net.jqwik.api.statistics.Statistics.label("plan with Disk").collect(big.getClass().getSimpleName());
    }
  }

  private Arbitrary<JsonNode> values(int depth, List<String> ids) {
    Arbitrary<JsonNode> scalars = Arbitraries.oneOf(
        Arbitraries.of(ids).map(F::textNode),
        Arbitraries.strings().ofMaxLength(12).map(F::textNode),
        Arbitraries.of("${A}", "${A.ip}", "${!x}", "${AWS::Region}", "${Nope}", "10.0.0.0/16", ",", "")
            .map(F::textNode),
        Arbitraries.integers().between(-3, 300).map(F::numberNode),
        Arbitraries.of(true, false).map(F::booleanNode),
        Arbitraries.of(ids).map(id -> (JsonNode) F.objectNode().put("Ref", id)),
        Arbitraries.of("AWS::NoValue", "AWS::Region", "AWS::StackName", "CloudStack::StackMateApiURL")
            .map(id -> (JsonNode) F.objectNode().put("Ref", id)));
    if (depth == 0) {
      return scalars;
    }
    Arbitrary<JsonNode> inner = values(depth - 1, ids);
    Arbitrary<JsonNode> lists = inner.list().ofMaxSize(4).map(items -> {
      ArrayNode a = F.arrayNode();
      items.forEach(a::add);
      return (JsonNode) a;
    });
    Arbitrary<JsonNode> functions = Combinators.combine(Arbitraries.of(FUNCTIONS), Arbitraries.oneOf(inner, lists))
        .as((fn, arg) -> (JsonNode) F.objectNode().set(fn, arg));
    Arbitrary<JsonNode> objects = Arbitraries.maps(Arbitraries.of("a", "b", "Ref", "Fn::Join", "Condition"), inner)
        .ofMaxSize(3).map(m -> (JsonNode) object(m));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, scalars), net.jqwik.api.Tuple.of(2, lists), net.jqwik.api.Tuple.of(4, functions),
        net.jqwik.api.Tuple.of(1, objects));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
