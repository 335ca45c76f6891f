package org.stacktician.server.stacks;

/** A version of a library template that a stack's (or a change set's) template came from. */
public record LibraryVersion(String templateId, int version) {}
