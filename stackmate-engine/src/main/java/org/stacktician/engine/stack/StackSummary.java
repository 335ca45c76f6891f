package org.stacktician.engine.stack;

import java.time.Instant;

/**
 * What a listing shows of a stack, as CloudFormation's StackSummary does: no parameters, outputs
 * or templates, so a page of them reads and opens only what it shows.
 *
 * @param templateVersion the number of the stack's current template version (above 1 once updated)
 */
public record StackSummary(
    String stackId,
    String stackName,
    StackStatus status,
    String statusReason,
    String description,
    String parentStackId,
    Instant createdAt,
    Instant updatedAt,
    int templateVersion) {}
