package org.stacktician.template.functions;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.stacktician.template.Resolution;
import org.stacktician.template.ResolvedParameter;
import org.stacktician.template.ResourceValues;
import org.stacktician.template.StackContext;
import org.stacktician.template.Template;
import org.stacktician.template.TemplateError;

/** Evaluates intrinsic functions with CloudFormation's semantics. */
public final class Intrinsics {
  public Intrinsics(Template template, Map<String, ResolvedParameter> parameters,
      Map<String, Boolean> conditions, StackContext context) {}

  public Resolution resolve(JsonNode expression, String path, ResourceValues values) {
    return new Resolution.Failed(List.of(TemplateError.of(path, "not implemented yet")));
  }
}
