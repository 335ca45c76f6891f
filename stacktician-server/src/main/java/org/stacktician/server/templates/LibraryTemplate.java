package org.stacktician.server.templates;

import java.time.Instant;

/** A template in the library (its latest version's body is in {@link TemplateVersion}). */
public record LibraryTemplate(String id, String ownerId, String name, String description, String category,
    boolean isPublic, int latestVersion, Instant createdAt, Instant updatedAt) {}
