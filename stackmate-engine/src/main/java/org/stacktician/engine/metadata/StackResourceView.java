package org.stacktician.engine.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.stacktician.engine.drift.DriftInformation;

/**
 * What the metadata API shows of one stack resource (CloudFormation's StackResourceDetail).
 *
 * @param metadata the resource's resolved {@code Metadata} (null when it has none)
 * @param description the resource's {@code Description} (null when none)
 * @param status a CloudFormation resource status name, e.g. {@code CREATE_COMPLETE}
 * @param drift what the stack's last drift detection found for the resource (null: NOT_CHECKED)
 */
public record StackResourceView(
    String stackId,
    String stackName,
    String logicalId,
    String physicalId,
    String type,
    String status,
    String statusReason,
    JsonNode metadata,
    String description,
    Instant lastUpdated,
    DriftInformation drift) {
  public StackResourceView {
    drift = drift == null ? DriftInformation.NOT_CHECKED : drift;
  }
}
