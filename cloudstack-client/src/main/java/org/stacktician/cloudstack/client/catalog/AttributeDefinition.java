package org.stacktician.cloudstack.client.catalog;

/** A readable attribute of a derived {@code CloudStack::} type (one create-API response field). */
public record AttributeDefinition(String name, String type, String description) {
}
