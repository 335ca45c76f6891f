package org.stacktician.cloudstack.simulator.guest;

/**
 * What happened to one guest signal: {@code httpStatus} of the answer (0 when none came),
 * {@code error} when it failed or was not sent (e.g. a non-loopback URL).
 */
public record SentSignal(String virtualMachineId, String url, String status, int httpStatus, String error) {}
