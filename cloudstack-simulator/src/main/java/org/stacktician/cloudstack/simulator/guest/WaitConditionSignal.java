package org.stacktician.cloudstack.simulator.guest;

import java.net.URI;

/** A signal a guest's user data would send: an HTTP PUT of {@code body} to {@code url}. */
public record WaitConditionSignal(URI url, String body, boolean success) {}
