package org.stacktician.server.users;

import java.time.Instant;

/** A person (or program) using the server; admins see and manage everything. */
public record User(String id, String name, boolean admin, boolean demo, Instant createdAt) {}
