/**
 * Which provider handles which resource type: built-ins, engine providers and plugins (ServiceLoader, plugin jars), with duplicate claims rejected.
 */
package org.stacktician.engine.provider.registry;
