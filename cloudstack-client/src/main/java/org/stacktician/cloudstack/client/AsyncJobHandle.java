package org.stacktician.cloudstack.client;

/**
 * A submitted async job: its {@code jobid}, the new object's {@code id} when the server returned
 * one at once (async create commands), else null, and the command that started it.
 */
public record AsyncJobHandle(String jobId, String resourceId, String command) {
}
