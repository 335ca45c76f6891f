package org.stacktician.template.functions;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.stacktician.template.ResourceValues;
import org.stacktician.template.TemplateError;
import org.stacktician.template.functions.Intrinsics.Section;

/** State of one evaluation: errors, what it waits on, what it refers to. */
final class Run {
  final ResourceValues values;
  final Section section;
  final List<TemplateError> errors = new ArrayList<>();
  final Set<String> waitingOn = new LinkedHashSet<>();
  final Set<String> resources = new LinkedHashSet<>();
  final Set<String> conditionRefs = new LinkedHashSet<>();
  final Function<String, Boolean> conditions;

  Run(ResourceValues values, Section section, Function<String, Boolean> conditions) {
    this.values = values;
    this.section = section;
    this.conditions = conditions;
  }
}
