/**
 * The {@code AWS::LanguageExtensions} transform's template rewrites: {@code Fn::ForEach} loops
 * expanded into the objects they produce, before the template is validated and planned.
 */
package org.stacktician.template.extensions;
