/**
 * Nested stacks ({@code AWS::CloudFormation::Stack}): a resource whose create and delete run a
 * whole child stack through the same engine; its outputs are the resource's {@code Outputs.X}
 * attributes.
 */
package org.stacktician.engine.nested;
