/** JMH micro-benchmarks and the end-to-end load harness. */
package org.stacktician.bench;
