package org.stacktician.engine.cloudstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.stacktician.cloudstack.client.catalog.ApiCatalog;
import org.stacktician.cloudstack.client.catalog.PropertyDefinition;
import org.stacktician.cloudstack.client.catalog.ResourceTypeCatalog;
import org.stacktician.cloudstack.client.catalog.ResourceTypeDefinition;
import org.stacktician.engine.check.PropertyChecks;
import org.stacktician.engine.provider.registry.ProviderRegistry;
import org.stacktician.template.LoadResult;
import org.stacktician.template.ParameterInput;
import org.stacktician.template.Plan;
import org.stacktician.template.PlanResult;
import org.stacktician.template.Planner;
import org.stacktician.template.Resolution;
import org.stacktician.template.ResourceValues;
import org.stacktician.template.StackContext;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateLoader;
import org.stacktician.testing.SharedFiles;

/**
 * Over every property of every generated type of the CloudStack 4.18 and 4.11 catalogs: a value
 * written with a reference to another resource (alone, as a list item, as a map value, inside
 * functions nested to any depth) never fails the check before creation, and once resolved it is
 * encoded exactly as the same value written literally. Each try runs the real path for every type
 * of both catalogs: template text, plan, check, resolution with the other resource created, encoding.
 */
class CatalogReferencesConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String[] CATALOGS = {"cloudstack/listApis-4.18.json", "cloudstack/listApis-4.11.json"};
  private static final List<ResourceTypeCatalog> TYPES = new ArrayList<>();
  private static final List<ProviderRegistry> REGISTRIES = new ArrayList<>();

  /** One more function around an expression, keeping its value. */
  record Wrapper(String name, UnaryOperator<JsonNode> wrap) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static synchronized void load() {
    if (TYPES.isEmpty()) {
      for (String file : CATALOGS) {
        ResourceTypeCatalog types = ResourceTypeCatalog.derive(ApiCatalog.fromFile(SharedFiles.resolve(file)));
        TYPES.add(types);
        REGISTRIES.add(PropertyChecks.offline(types, null));
      }
    }
  }

  @Provide
  Arbitrary<List<Wrapper>> wrappers() {
    Arbitrary<Wrapper> one = Arbitraries.of(
        new Wrapper("Join", e -> fn("Fn::Join", F.arrayNode().add("").add(F.arrayNode().add(e)))),
        new Wrapper("Select0", e -> fn("Fn::Select", F.arrayNode().add(0).add(F.arrayNode().add(e).add("unused")))),
        new Wrapper("Select1", e -> fn("Fn::Select", F.arrayNode().add(1).add(F.arrayNode().add("unused").add(e)))),
        new Wrapper("IfTrue", e -> fn("Fn::If", F.arrayNode().add("Always").add(e).add("unused"))),
        new Wrapper("IfFalse", e -> fn("Fn::If", F.arrayNode().add("Never").add("unused").add(e))),
        new Wrapper("SubVar", e -> fn("Fn::Sub", F.arrayNode().add("${V}").add(F.objectNode().set("V", e)))),
        new Wrapper("SplitSelect", e -> fn("Fn::Select", F.arrayNode().add(0).add(fn("Fn::Split",
            F.arrayNode().add("|").add(e))))));
    return one.list().ofMaxSize(3);
  }

  @Provide
  Arbitrary<String> references() {
    return Arbitraries.of("Ref", "GetAtt", "GetAttOfList", "Sub", "SubAtt");
  }

  @Property(tries = 15)
  void aReferenceAtAnyDepthPassesTheCheckAndEncodesAsTheLiteral(@ForAll("references") String reference,
      @ForAll("wrappers") List<Wrapper> wrappers, @ForAll boolean listWrittenWhole) throws Exception {
    load();
    int checked = 0;
    for (int i = 0; i < TYPES.size(); i++) {
      for (ResourceTypeDefinition type : TYPES.get(i).types().values()) {
        ObjectNode literal = F.objectNode();
        ObjectNode written = F.objectNode();
        for (PropertyDefinition p : type.properties()) {
          JsonNode value = literal(p);
          literal.set(p.name(), value);
          JsonNode expression = reference(reference, TARGETS.get(leafOf(value)));
          for (Wrapper w : wrappers) {
            expression = w.wrap().apply(expression);
          }
          written.set(p.name(), listWrittenWhole && value.isArray()
              ? fn("Fn::Split", F.arrayNode().add(",").add(fn("Fn::Join", F.arrayNode().add(",")
                  .add(F.arrayNode().add(expression).add(value.get(1))))))
              : replaceLeaf(value, expression));
          checked++;
        }
        String where = CATALOGS[i] + " " + type.typeName() + " written as " + written;
        Plan plan = plan(type, written, literal);
        List<TemplateError> problems = PropertyChecks.beforeCreation(REGISTRIES.get(i), plan);
        assertThat(problems).as(where).allSatisfy(e -> assertThat(e.path()).startsWith("Resources/Lit/"));

        ObjectNode resolved = resolve(plan, "Res");
        ObjectNode plain = resolve(plan, "Lit");
        assertThat(resolved).as(where).isEqualTo(plain);
        ParameterEncoder.Encoded fromReference = ParameterEncoder.encode(type, resolved, "app", "Res");
        ParameterEncoder.Encoded fromLiteral = ParameterEncoder.encode(type, literal, "app", "Res");
        assertThat(fromReference.params()).as(where).isEqualTo(fromLiteral.params());
        assertThat(fromReference.errors()).as(where).isEqualTo(fromLiteral.errors());
        assertThat(fromReference.userTags()).as(where).isEqualTo(fromLiteral.userTags());
      }
    }
    assertThat(checked).as("every property of every type of both catalogs").isGreaterThan(1700);
  }

  /** Other's id: usable as an id, a name and any text. */
  static final String LEAF_ID = "6f1e3a52-2a8e-4c3b-9a55-0c4d1b7e9f10";

  /** The resource whose id is each leaf value. */
  static final Map<String, String> TARGETS = Map.of(LEAF_ID, "Other", "42", "Count", "true", "Flag");

  /** A value of the property's kind, with one text leaf: the id of one of the resources it refers to. */
  static JsonNode literal(PropertyDefinition p) {
    String type = p.type() == null ? "string" : p.type().toLowerCase(Locale.ROOT);
    return switch (type) {
      case "boolean" -> TextNode.valueOf("true");
      case "integer", "long", "short", "int" -> TextNode.valueOf("42");
      case "list", "set" -> F.arrayNode().add(LEAF_ID).add("item-2");
      case "map" -> F.objectNode().put("key", LEAF_ID);
      default -> TextNode.valueOf(LEAF_ID);
    };
  }

  private static String leafOf(JsonNode literal) {
    return literal.isArray() ? literal.get(0).asText() : literal.isObject() ? literal.get("key").asText() : literal.asText();
  }

  private static String idOf(String logicalId) {
    return TARGETS.entrySet().stream().filter(e -> e.getValue().equals(logicalId)).map(Map.Entry::getKey)
        .findFirst().orElseThrow();
  }

  private static JsonNode replaceLeaf(JsonNode literal, JsonNode expression) {
    if (literal.isArray()) {
      ArrayNode a = literal.deepCopy();
      a.set(0, expression);
      return a;
    }
    if (literal.isObject()) {
      ObjectNode o = literal.deepCopy();
      o.set("key", expression);
      return o;
    }
    return expression;
  }

  private static JsonNode reference(String kind, String target) {
    return switch (kind) {
      case "Ref" -> fn("Ref", TextNode.valueOf(target));
      case "GetAtt" -> fn("Fn::GetAtt", F.arrayNode().add(target).add("id"));
      case "GetAttOfList" -> fn("Fn::Select", F.arrayNode().add(0)
          .add(fn("Fn::GetAtt", F.arrayNode().add(target).add("ids"))));
      case "Sub" -> fn("Fn::Sub", TextNode.valueOf("${" + target + "}"));
      default -> fn("Fn::Sub", TextNode.valueOf("${" + target + ".id}"));
    };
  }

  private static ObjectNode fn(String name, JsonNode argument) {
    ObjectNode o = F.objectNode();
    o.set(name, argument);
    return o;
  }

  /** Res has the properties as written, Lit as literals; Other is the resource they refer to. */
  private static Plan plan(ResourceTypeDefinition type, ObjectNode written, ObjectNode literal) throws Exception {
    ObjectNode template = F.objectNode();
    ObjectNode conditions = template.putObject("Conditions");
    conditions.putObject("Always").set("Fn::Equals", F.arrayNode().add(1).add(1));
    conditions.putObject("Never").set("Fn::Equals", F.arrayNode().add(1).add(2));
    ObjectNode resources = template.putObject("Resources");
    for (String target : TARGETS.values()) {
      resources.putObject(target).put("Type", "AWS::CloudFormation::WaitConditionHandle");
    }
    resources.putObject("Res").put("Type", type.typeName()).set("Properties", written);
    resources.putObject("Lit").put("Type", type.typeName()).set("Properties", literal);
    LoadResult loaded = TemplateLoader.load(JSON.writeValueAsString(template), "t.json");
    assertThat(loaded).as(loaded.toString()).isInstanceOf(LoadResult.Loaded.class);
    PlanResult planned = Planner.plan(((LoadResult.Loaded) loaded).template(), new ParameterInput(Map.of()),
        StackContext.forPlanning("app"));
    assertThat(planned).as(planned.toString()).isInstanceOf(PlanResult.Planned.class);
    return ((PlanResult.Planned) planned).plan();
  }

  /** A resource's properties once the resources it refers to exist, each with its leaf as id and attributes. */
  private static ObjectNode resolve(Plan plan, String logicalId) {
    ResourceValues created = new ResourceValues() {
      @Override
      public Optional<JsonNode> ref(String id) {
        return Optional.of(TextNode.valueOf(idOf(id)));
      }

      @Override
      public Optional<JsonNode> getAtt(String id, String attribute) {
        return Optional.of(attribute.equals("ids") ? F.arrayNode().add(idOf(id)) : TextNode.valueOf(idOf(id)));
      }
    };
    Resolution r = plan.evaluator().resolve(plan.resources().get(logicalId).properties(),
        "Resources/" + logicalId + "/Properties", created);
    assertThat(r).as(r.toString()).isInstanceOf(Resolution.Resolved.class);
    return (ObjectNode) ((Resolution.Resolved) r).value();
  }
}
