/**
 * {@code AWS::CloudFormation::WaitConditionHandle} and {@code WaitCondition}: signed handle URLs, cfn-signal bodies, and the signal store the engine persists.
 */
package org.stacktician.engine.waitcondition;
