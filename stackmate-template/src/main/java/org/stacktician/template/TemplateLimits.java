package org.stacktician.template;

/**
 * Size limits applied while loading a template, modelled on CloudFormation's quotas. The body
 * limit defaults to 1 MB (CloudFormation's limit for a template read from a URL) because the CLI
 * reads files; the nesting and string limits protect the parser from hostile input.
 */
public record TemplateLimits(
    int bodyBytes,
    int resources,
    int parameters,
    int outputs,
    int mappings,
    int mappingAttributes,
    int nestingDepth,
    int stringLength,
    int descriptionBytes,
    int logicalIdLength) {

  /** CloudFormation's documented quotas plus parser-protection limits. */
  public static TemplateLimits defaults() {
    return new TemplateLimits(1_048_576, 500, 200, 200, 200, 200, 100, 524_288, 1024, 255);
  }

  /** A copy with a different body size limit. */
  public TemplateLimits withBodyBytes(int bytes) {
    return new TemplateLimits(bytes, resources, parameters, outputs, mappings, mappingAttributes,
        nestingDepth, stringLength, descriptionBytes, logicalIdLength);
  }

  /** A copy with a different resource count limit. */
  public TemplateLimits withResources(int count) {
    return new TemplateLimits(bodyBytes, count, parameters, outputs, mappings, mappingAttributes,
        nestingDepth, stringLength, descriptionBytes, logicalIdLength);
  }

  /** A copy with a different nesting depth limit. */
  public TemplateLimits withNestingDepth(int depth) {
    return new TemplateLimits(bodyBytes, resources, parameters, outputs, mappings, mappingAttributes,
        depth, stringLength, descriptionBytes, logicalIdLength);
  }
}
