package org.stacktician.engine.stack;

import java.time.Instant;

/**
 * One status transition, as DescribeStackEvents shows it. A stack's own events have the stack
 * name as logical id, the stack id as physical id and type {@code AWS::CloudFormation::Stack}.
 *
 * @param sequence store-wide increasing number, for following a stack's events as they happen
 * @param properties the resolved properties as JSON text (null when not applicable)
 */
public record StackEvent(
    long sequence,
    String eventId,
    String stackId,
    String stackName,
    String logicalId,
    String physicalId,
    String resourceType,
    Instant timestamp,
    String status,
    String statusReason,
    String properties) {

  public static final String STACK_TYPE = "AWS::CloudFormation::Stack";

  /** True when this event is about the stack itself rather than one of its resources. */
  public boolean aboutStack() {
    return STACK_TYPE.equals(resourceType) && stackName.equals(logicalId) && stackId.equals(physicalId);
  }
}
