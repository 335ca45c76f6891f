/**
 * The metadata API booting instances read (DescribeStackResource, DescribeStackResources, ListStackResources in JSON and XML).
 */
package org.stacktician.engine.metadata;
