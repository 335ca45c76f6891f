package org.stacktician.cloudstack.client.catalog;

/** An API that did not become (part of) a resource type, and why. */
public record ExcludedApi(String api, String reason) {
}
