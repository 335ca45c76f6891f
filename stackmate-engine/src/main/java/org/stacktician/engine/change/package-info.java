/**
 * Change sets: what updating a stack to a new template and parameter values would do to each
 * resource (added, modified in place or by replacement, removed), computed without any cloud call
 * from the two templates, the parameter values, the stored physical ids and the update rules the
 * handlers declare; in CloudFormation's model and the AWS CLI's describe-change-set JSON shape.
 */
package org.stacktician.engine.change;
