/**
 * Drift detection: each resource's properties read back from the cloud through its handler
 * ({@link org.stacktician.engine.provider.ResourceHandler#readActual}) compared with the resolved
 * template properties, in CloudFormation's model (DetectStackDrift, DescribeStackResourceDrifts);
 * the last result is stored with the stack.
 */
package org.stacktician.engine.drift;
