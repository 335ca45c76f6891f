package org.stacktician.engine.nested;

import org.stacktician.engine.provider.UpdateRules;
import org.stacktician.engine.provider.PropertyUpdate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stacktician.engine.provider.ErrorCode;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.PropertyError;
import org.stacktician.engine.provider.ResourceHandler;
import org.stacktician.engine.provider.ResourceRequest;
import org.stacktician.engine.stack.StackOutput;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;

/**
 * Creates and deletes a child stack. The child's end wakes the parent, so the poll delay is only a
 * safety net. The child's outputs become attributes {@code Outputs.<Name>}.
 */
final class NestedStackHandler implements ResourceHandler {
  /** As CloudFormation: every property of a nested stack changes by updating that stack. */
  private static final UpdateRules UPDATES = UpdateRules.REPLACE_ALL.otherwise(
      PropertyUpdate.noInterruption("UpdateStack").withNote("the nested stack's own change set decides per resource"));

  @Override
  public UpdateRules updateRules() {
    return UPDATES;
  }

  static final Duration POLL = Duration.ofSeconds(2);
  /** In an update's callback context: the nested stack was busy, so its update has not been started yet. */
  private static final String WAITING_TO_UPDATE = "waitingToUpdate";
  private final NestedStackHost host;
  private final TemplateFetcher fetcher;

  NestedStackHandler(NestedStackHost host, TemplateFetcher fetcher) {
    this.host = host;
    this.fetcher = fetcher;
  }

  @Override
  public List<PropertyError> validate(ObjectNode properties) {
    List<PropertyError> errors = new ArrayList<>();
    if (!properties.hasNonNull("TemplateURL")) {
      errors.add(new PropertyError("TemplateURL", "is required"));
    }
    JsonNode params = properties.get("Parameters");
    if (params != null && !params.isObject()) {
      errors.add(new PropertyError("Parameters", "must be a map of parameter names to values"));
    }
    return errors;
  }

  @Override
  public ProgressEvent create(ResourceRequest request) {
    if (request.firstCall()) {
      return start(request);
    }
    String childId = request.callbackContext().path("childStackId").asText();
    Optional<StackRecord> child = host.find(childId);
    if (child.isEmpty()) {
      return ProgressEvent.failed(ErrorCode.NOT_FOUND, "Embedded stack " + childId + " disappeared");
    }
    return created(child.get(), request.callbackContext());
  }

  /** A child stack's template, where it was read from, its parameter values and time-out. */
  private record ChildInput(String body, String url, Map<String, String> parameters, Integer timeout) {}

  /** The child's template and values from the properties, or why they cannot be had. */
  private Object input(ResourceRequest request) {
    List<PropertyError> errors = validate(request.properties());
    if (!errors.isEmpty()) {
      return ProgressEvent.failed(ErrorCode.INVALID_REQUEST, errors.toString());
    }
    StackRecord parent = host.find(request.stack().stackId()).orElseThrow();
    String given = request.properties().get("TemplateURL").asText();
    String url = given;
    String body;
    try {
      url = TemplateLocation.resolve(parent.templateUrl(), given);
      body = fetcher.fetch(url);
    } catch (IllegalArgumentException e) { // also a TemplateURL that is no path or URL at all
      return ProgressEvent.failed(ErrorCode.INVALID_REQUEST, "TemplateURL " + given
          + (given.equals(url) ? "" : " (" + url + ")") + ": " + e.getMessage());
    }
    Map<String, String> params = new LinkedHashMap<>();
    JsonNode p = request.properties().get("Parameters");
    if (p != null) {
      p.fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().isArray()
          ? join(e.getValue()) : e.getValue().asText()));
    }
    Integer timeout = request.properties().hasNonNull("TimeoutInMinutes")
        ? request.properties().get("TimeoutInMinutes").asInt() : null;
    return new ChildInput(body, url, params, timeout);
  }

  private ProgressEvent start(ResourceRequest request) {
    Object input = input(request);
    if (input instanceof ProgressEvent.Failed f) {
      return f;
    }
    ChildInput in = (ChildInput) input;
    StackRecord parent = host.find(request.stack().stackId()).orElseThrow();
    StackRecord child;
    try {
      child = host.createNested(parent, request.logicalId(), in.body(), in.url(), in.parameters(), in.timeout());
    } catch (RuntimeException e) {
      return ProgressEvent.failed(ErrorCode.INVALID_REQUEST, "Nested stack could not be created: " + e.getMessage());
    }
    ObjectNode ctx = JsonNodeFactory.instance.objectNode().put("childStackId", child.stackId());
    return ProgressEvent.inProgress(ctx, POLL, "creating nested stack " + child.stackName());
  }

  /**
   * Updates the child stack with its parent, as CloudFormation does (also when only the child's own template
   * changed); one that changes nothing is done at once. A rollback of the parent updates it back the same way.
   */
  @Override
  public ProgressEvent update(ResourceRequest request) {
    String childId = request.physicalId();
    boolean begin = request.firstCall() || request.callbackContext().path(WAITING_TO_UPDATE).asBoolean();
    if (begin) {
      Optional<StackRecord> busy = host.find(childId).filter(c -> c.status().inProgress());
      if (busy.isPresent()) {
        // Its last operation has not ended yet (the parent's update that this rollback undoes timed out while it ran,
        // so the nested stack rolls back too): this update starts once it has.
        return ProgressEvent.inProgress(JsonNodeFactory.instance.objectNode().put("childStackId", childId)
            .put(WAITING_TO_UPDATE, true), POLL, "waiting for nested stack " + busy.get().stackName() + " to end its "
            + busy.get().status() + " before updating it");
      }
      Object input = input(request);
      if (input instanceof ProgressEvent.Failed f) {
        return f;
      }
      ChildInput in = (ChildInput) input;
      try {
        host.updateNested(childId, in.body(), in.url(), in.parameters());
      } catch (org.stacktician.engine.StackOperationException e) {
        if (!org.stacktician.engine.change.ChangeSet.NO_UPDATES.equals(e.getMessage())) {
          return ProgressEvent.failed(ErrorCode.INVALID_REQUEST, "Nested stack could not be updated: " + e.getMessage());
        }
      } catch (RuntimeException e) {
        return ProgressEvent.failed(ErrorCode.INVALID_REQUEST, "Nested stack could not be updated: " + e.getMessage());
      }
    }
    Optional<StackRecord> child = host.find(childId);
    if (child.isEmpty()) {
      return ProgressEvent.failed(ErrorCode.NOT_FOUND, "Embedded stack " + childId + " disappeared");
    }
    StackRecord c = child.get();
    ObjectNode ctx = JsonNodeFactory.instance.objectNode().put("childStackId", c.stackId());
    if (c.status().inProgress()) {
      return ProgressEvent.inProgress(ctx, POLL, "nested stack " + c.stackName() + " is " + c.status());
    }
    if (c.status() == StackStatus.UPDATE_COMPLETE || (begin && c.status().succeeded())) {
      return ProgressEvent.success(c.stackId(), outputs(c));
    }
    return ProgressEvent.failed(ErrorCode.GENERAL_SERVICE_EXCEPTION, "Embedded stack " + c.stackName()
        + " was not successfully updated. Currently in " + c.status() + " with reason: " + c.statusReason());
  }

  private static Map<String, JsonNode> outputs(StackRecord child) {
    Map<String, JsonNode> attributes = new LinkedHashMap<>();
    for (StackOutput o : child.outputs()) {
      attributes.put("Outputs." + o.key(), TextNode.valueOf(o.value()));
    }
    return attributes;
  }

  private ProgressEvent created(StackRecord child, ObjectNode ctx) {
    if (child.status() == StackStatus.CREATE_COMPLETE) {
      return ProgressEvent.success(child.stackId(), outputs(child));
    }
    if (child.status().inProgress()) {
      return ProgressEvent.inProgress(ctx, POLL, "nested stack " + child.stackName() + " is " + child.status());
    }
    return ProgressEvent.failed(ErrorCode.GENERAL_SERVICE_EXCEPTION, "Embedded stack " + child.stackName()
        + " was not successfully created: " + host.creationFailure(child));
  }

  @Override
  public ProgressEvent read(ResourceRequest request) {
    String prefix = request.stack().stackName() + "-" + request.logicalId() + "-";
    for (StackRecord child : host.children(request.stack().stackId())) {
      if (child.stackName().startsWith(prefix) && child.status() != StackStatus.DELETE_COMPLETE) {
        return ProgressEvent.success(child.stackId());
      }
    }
    return ProgressEvent.failed(ErrorCode.NOT_FOUND, "no nested stack for " + request.logicalId());
  }

  @Override
  public ProgressEvent delete(ResourceRequest request) {
    String childId = request.physicalId();
    Optional<StackRecord> found = childId == null ? Optional.empty() : host.find(childId);
    if (found.isEmpty() || found.get().status() == StackStatus.DELETE_COMPLETE) {
      return ProgressEvent.success(null);
    }
    StackRecord child = found.get();
    ObjectNode ctx = JsonNodeFactory.instance.objectNode().put("childStackId", child.stackId());
    if (child.status() == StackStatus.DELETE_FAILED && !request.firstCall()) {
      return ProgressEvent.failed(ErrorCode.GENERAL_SERVICE_EXCEPTION, "Embedded stack " + child.stackName()
          + " could not be deleted: " + child.statusReason());
    }
    if (child.status().inProgress()) {
      return ProgressEvent.inProgress(ctx, POLL, "waiting for nested stack " + child.stackName());
    }
    try {
      host.delete(child.stackId());
    } catch (RuntimeException e) {
      return ProgressEvent.failed(ErrorCode.RESOURCE_CONFLICT, e.getMessage());
    }
    return ProgressEvent.inProgress(ctx, POLL, "deleting nested stack " + child.stackName());
  }

  private static String join(JsonNode array) {
    List<String> parts = new ArrayList<>();
    array.forEach(x -> parts.add(x.asText()));
    return String.join(",", parts);
  }
}
