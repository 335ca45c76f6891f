package org.stacktician.bench.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A generated template of {@code depth} layers of {@code width} {@code CloudStack::Volume}
 * resources (one async {@code createVolume} job each); every resource of a layer depends on every
 * resource of the layer before, so the critical path is {@code depth} jobs long while the original
 * StackMate, one resource at a time, needed {@code depth x width} jobs.
 */
public record LayeredTemplate(int depth, int width) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public LayeredTemplate {
    if (depth < 1 || width < 1 || depth * width > 500) {
      throw new IllegalArgumentException("depth and width must be at least 1, with at most 500 resources in all");
    }
  }

  public int resources() {
    return depth * width;
  }

  /** The template body; parameters ZoneId and DiskOfferingId give the volumes' zone and offering. */
  public String body() {
    ObjectNode t = JSON.createObjectNode();
    t.put("Description", "generated: " + depth + " layers of " + width + " volumes");
    ObjectNode params = t.putObject("Parameters");
    params.putObject("ZoneId").put("Type", "String");
    params.putObject("DiskOfferingId").put("Type", "String");
    ObjectNode resources = t.putObject("Resources");
    for (int layer = 0; layer < depth; layer++) {
      for (int i = 0; i < width; i++) {
        ObjectNode r = resources.putObject(id(layer, i));
        r.put("Type", "CloudStack::Volume");
        if (layer > 0) {
          ArrayNode deps = r.putArray("DependsOn");
          for (int j = 0; j < width; j++) {
            deps.add(id(layer - 1, j));
          }
        }
        ObjectNode p = r.putObject("Properties");
        p.put("name", id(layer, i).toLowerCase(java.util.Locale.ROOT));
        p.putObject("zoneid").put("Ref", "ZoneId");
        p.putObject("diskofferingid").put("Ref", "DiskOfferingId");
      }
    }
    t.putObject("Outputs").putObject("Last").putObject("Value").put("Ref", id(depth - 1, width - 1));
    return t.toPrettyString();
  }

  /**
   * The template body with one more property on one resource: a CloudStack tag on the middle
   * layer's middle volume (an update the engine makes in place, with {@code createTags}).
   */
  public String bodyWithOneTag(String key, String value) {
    ObjectNode t;
    try {
      t = (ObjectNode) JSON.readTree(body());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    ObjectNode props = (ObjectNode) t.path("Resources").path(changedLogicalId()).path("Properties");
    props.putArray("tags").addObject().put("key", key).put("value", value);
    return t.toPrettyString();
  }

  /** The resource {@link #bodyWithOneTag} changes. */
  public String changedLogicalId() {
    return id(depth / 2, width / 2);
  }

  static String id(int layer, int i) {
    return "L" + layer + "V" + i;
  }
}
