/**
 * Custom resources ({@code Custom::*}, {@code AWS::CloudFormation::CustomResource}) over HTTP service tokens with signed response URLs.
 */
package org.stacktician.engine.custom;
