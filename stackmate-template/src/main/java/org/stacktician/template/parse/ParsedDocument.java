package org.stacktician.template.parse;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.stacktician.template.SourceMap;
import org.stacktician.template.TemplateError;

/** A parsed document: the tree (null when parsing failed), its positions, and any parse errors. */
public record ParsedDocument(JsonNode root, SourceMap sourceMap, List<TemplateError> errors) {}
