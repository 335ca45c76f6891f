/**
 * The generated {@code CloudStack::<Noun>} resource types: one handler per lifecycle pair of the target cloud's listApis, stack tags, lookup by tags, async job polling.
 */
package org.stacktician.engine.cloudstack;
