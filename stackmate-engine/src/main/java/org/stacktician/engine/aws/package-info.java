/**
 * The {@code AWS::EC2::} compatibility types on CloudStack and the mapping file that turns AMI ids and instance types into templates and offerings.
 */
package org.stacktician.engine.aws;
