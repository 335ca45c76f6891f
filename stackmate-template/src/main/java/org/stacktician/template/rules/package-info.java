/**
 * The template's Rules section: rules read and checked for shape when the template is loaded,
 * and their assertions checked against the stack's parameter values before anything is created.
 */
package org.stacktician.template.rules;
