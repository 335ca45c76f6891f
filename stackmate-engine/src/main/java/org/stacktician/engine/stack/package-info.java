/**
 * What a stack is as the engine stores and shows it: stack and resource statuses named as in
 * CloudFormation, stack and resource records, events, outputs and parameters.
 */
package org.stacktician.engine.stack;
