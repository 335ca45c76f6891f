package org.stacktician.server.stacks;

import org.stacktician.engine.stack.StackRecord;

/** A stack as the server shows it: the engine's record, its key in REST paths, owner and cloud account. */
public record ServerStack(String key, String ownerId, String cloudAccountId, String templateId, Integer templateVersion,
    StackRecord record) {}
