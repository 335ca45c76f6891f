package org.stacktician.engine.drift;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.stacktician.engine.check.PropertyChecks;
import org.stacktician.engine.cloudstack.StackTags;
import org.stacktician.engine.execution.EventFactory;
import org.stacktician.engine.provider.ActualState;
import org.stacktician.engine.provider.ProviderContext;
import org.stacktician.engine.provider.ResourceHandler;
import org.stacktician.engine.provider.ResourceRequest;
import org.stacktician.engine.provider.registry.ProviderRegistry;
import org.stacktician.engine.stack.CurrentRows;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.StackRecord;

/**
 * Detects a stack's drift: each of its current resources is read back from the cloud by its handler
 * ({@link ResourceHandler#readActual}) and compared with its resolved template properties. A resource
 * whose handler cannot read it is NOT_CHECKED; one whose read fails is NOT_CHECKED with the reason and
 * makes the detection DETECTION_FAILED (as CloudFormation, results stay for the others).
 */
public final class DriftDetector {
  /** The type whose resource is a nested stack: its drift is its own resources'. */
  private static final String NESTED_STACK = "AWS::CloudFormation::Stack";
  private final ProviderRegistry registry;
  private final ProviderContext baseContext;
  private final Function<String, Optional<StackDrift>> nested;

  /**
   * @param nested detects (and keeps) the drift of the nested stack of this id; empty when it no longer exists
   */
  public DriftDetector(ProviderRegistry registry, ProviderContext baseContext,
      Function<String, Optional<StackDrift>> nested) {
    this.registry = registry;
    this.baseContext = baseContext;
    this.nested = nested;
  }

  /** The drift of {@code stack} whose resource rows are {@code rows}, detected now (the detection {@code id}). */
  public StackDrift detect(StackRecord stack, List<ResourceRecord> rows, Instant now, String id) {
    Set<String> secrets = new LinkedHashSet<>(EventFactory.noEchoValues(stack, rows));
    ResourceRequest.StackRef ref = new ResourceRequest.StackRef(stack.stackId(), stack.stackName());
    ProviderContext context = baseContext.forAccount(stack.accountKey()).withStack(ref, StackTags.forStack(ref))
        .maskingSecrets(secrets);
    List<ResourceDrift> drifts = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (ResourceRecord r : CurrentRows.of(stack, rows)) {
      if (r.status() == null || r.status().gone() || r.physicalId() == null) {
        continue; // never made, or no longer there by the stack's own doing
      }
      drifts.add(drift(r, ref, context, secrets, failed));
    }
    boolean drifted = drifts.stream().anyMatch(d -> d.status().drifted());
    return new StackDrift(stack.stackId(), stack.stackName(), id,
        drifted ? StackDrift.Status.DRIFTED : StackDrift.Status.IN_SYNC,
        failed.isEmpty() ? StackDrift.DetectionStatus.DETECTION_COMPLETE : StackDrift.DetectionStatus.DETECTION_FAILED,
        failed.isEmpty() ? null : "Failed to detect drift on resources " + failed
            + "; results are given for the resources that were checked", now, drifts);
  }

  private ResourceDrift drift(ResourceRecord r, ResourceRequest.StackRef ref, ProviderContext context,
      Set<String> secrets, List<String> failed) {
    if (NESTED_STACK.equals(r.type())) {
      return nestedDrift(r, failed);
    }
    Optional<ResourceHandler> handler = registry.handler(r.type());
    if (handler.isEmpty()) {
      return notChecked(r, "no provider handles " + r.type());
    }
    ObjectNode expected = r.properties() == null ? JsonNodeFactory.instance.objectNode() : r.properties().deepCopy();
    ResourceRequest request = new ResourceRequest(ref, r.logicalId(), r.type(), expected.deepCopy(), null,
        r.physicalId(), r.attributes(), r.metadata(), null, context, ResourceRequest.Action.READ, false);
    ActualState actual;
    try {
      actual = handler.get().readActual(request);
    } catch (RuntimeException e) {
      failed.add(r.logicalId());
      return notChecked(r, "reading it failed: " + PropertyChecks.mask(String.valueOf(e.getMessage()), secrets));
    }
    return switch (actual) {
      case ActualState.Gone g -> new ResourceDrift(r.logicalId(), r.physicalId(), r.type(),
          ResourceDrift.Status.DELETED, List.of(), null);
      case ActualState.NotChecked n -> notChecked(r, PropertyChecks.mask(n.reason(), secrets));
      case ActualState.Found f -> {
        List<PropertyDifference> differences = PropertyComparison.differences(expected, f.properties(), secrets);
        yield new ResourceDrift(r.logicalId(), r.physicalId(), r.type(),
            differences.isEmpty() ? ResourceDrift.Status.IN_SYNC : ResourceDrift.Status.MODIFIED, differences, null);
      }
    };
  }

  /**
   * A nested stack's drift is its resources': MODIFIED when one of them drifted, with each of their differences under
   * its logical id ({@code /Db/Size}; a deleted one {@code /Db} REMOVE), DELETED when the nested stack is gone.
   */
  private ResourceDrift nestedDrift(ResourceRecord r, List<String> failed) {
    Optional<StackDrift> child = nested.apply(r.physicalId());
    if (child.isEmpty()) {
      return new ResourceDrift(r.logicalId(), r.physicalId(), r.type(), ResourceDrift.Status.DELETED, List.of(), null);
    }
    if (child.get().detectionStatus() == StackDrift.DetectionStatus.DETECTION_FAILED) {
      failed.add(r.logicalId());
      return notChecked(r, "the nested stack's detection failed: " + child.get().detectionStatusReason());
    }
    List<PropertyDifference> differences = new ArrayList<>();
    for (ResourceDrift d : child.get().resourceDrifts()) {
      String at = "/" + d.logicalResourceId().replace("~", "~0").replace("/", "~1");
      if (d.status() == ResourceDrift.Status.DELETED) {
        differences.add(new PropertyDifference(at, d.resourceType(), null, PropertyDifference.Type.REMOVE));
      }
      d.propertyDifferences().forEach(p -> differences.add(new PropertyDifference(at + p.propertyPath(),
          p.expectedValue(), p.actualValue(), p.differenceType())));
    }
    return new ResourceDrift(r.logicalId(), r.physicalId(), r.type(), differences.isEmpty()
        ? ResourceDrift.Status.IN_SYNC : ResourceDrift.Status.MODIFIED, differences, null);
  }

  private static ResourceDrift notChecked(ResourceRecord r, String reason) {
    return new ResourceDrift(r.logicalId(), r.physicalId(), r.type(), ResourceDrift.Status.NOT_CHECKED, List.of(),
        reason);
  }
}
