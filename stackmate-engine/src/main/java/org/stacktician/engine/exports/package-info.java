/**
 * Outputs with {@code Export} across the stacks of one store: {@code Fn::ImportValue} lookups
 * and the refusal to delete a stack whose export another stack imports.
 */
package org.stacktician.engine.exports;
