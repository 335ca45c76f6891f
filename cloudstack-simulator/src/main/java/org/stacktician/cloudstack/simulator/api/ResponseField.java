package org.stacktician.cloudstack.simulator.api;

/** One response field of a command's response object as listApis describes it. */
public record ResponseField(String name, String type) {}
