package org.stacktician.cloudstack.client.catalog;

/** An input property of a derived {@code CloudStack::} type (one create-API parameter). */
public record PropertyDefinition(String name, String type, boolean required, int length, String description) {
}
