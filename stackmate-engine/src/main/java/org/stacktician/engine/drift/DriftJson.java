package org.stacktician.engine.drift;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A drift detection in the AWS CLI's shapes: DescribeStackDriftDetectionStatus's fields ({@code
 * StackId, StackDriftDetectionId, StackDriftStatus, DetectionStatus, DetectionStatusReason,
 * DriftedStackResourceCount, Timestamp}) with {@code StackResourceDrifts} as
 * describe-stack-resource-drifts gives them ({@code LogicalResourceId, PhysicalResourceId,
 * ResourceType, StackResourceDriftStatus, PropertyDifferences: [{PropertyPath, ExpectedValue,
 * ActualValue, DifferenceType}], Timestamp}); absent values are left out.
 */
public final class DriftJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private DriftJson() {}

  /** The detection status with every resource's drift. */
  public static ObjectNode detection(StackDrift drift) {
    ObjectNode root = status(drift);
    root.set("StackResourceDrifts", resourceDrifts(drift));
    return root;
  }

  /** DescribeStackDriftDetectionStatus's fields. */
  public static ObjectNode status(StackDrift drift) {
    ObjectNode root = NODES.objectNode();
    root.put("StackId", drift.stackId());
    root.put("StackDriftDetectionId", drift.detectionId());
    root.put("StackDriftStatus", drift.stackDriftStatus().name());
    root.put("DetectionStatus", drift.detectionStatus().name());
    if (drift.detectionStatusReason() != null) {
      root.put("DetectionStatusReason", drift.detectionStatusReason());
    }
    root.put("DriftedStackResourceCount", drift.driftedStackResourceCount());
    root.put("Timestamp", drift.detectedAt().toString());
    return root;
  }

  /** The {@code StackResourceDrifts} array. */
  public static ArrayNode resourceDrifts(StackDrift drift) {
    ArrayNode out = NODES.arrayNode();
    for (ResourceDrift r : drift.resourceDrifts()) {
      ObjectNode n = out.addObject();
      n.put("StackId", drift.stackId());
      n.put("LogicalResourceId", r.logicalResourceId());
      if (r.physicalResourceId() != null) {
        n.put("PhysicalResourceId", r.physicalResourceId());
      }
      n.put("ResourceType", r.resourceType());
      n.put("StackResourceDriftStatus", r.status().name());
      ArrayNode differences = n.putArray("PropertyDifferences");
      for (PropertyDifference d : r.propertyDifferences()) {
        ObjectNode dn = differences.addObject().put("PropertyPath", d.propertyPath());
        if (d.expectedValue() != null) {
          dn.put("ExpectedValue", d.expectedValue());
        }
        if (d.actualValue() != null) {
          dn.put("ActualValue", d.actualValue());
        }
        dn.put("DifferenceType", d.differenceType().name());
      }
      n.put("Timestamp", drift.detectedAt().toString());
    }
    return out;
  }
}
