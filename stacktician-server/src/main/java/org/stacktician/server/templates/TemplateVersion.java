package org.stacktician.server.templates;

import java.time.Instant;
import java.util.List;
import org.stacktician.template.TemplateError;

/** One saved version of a library template with the validation result it got when saved. */
public record TemplateVersion(String templateId, int version, String body, boolean valid, List<TemplateError> errors,
    Instant createdAt) {}
