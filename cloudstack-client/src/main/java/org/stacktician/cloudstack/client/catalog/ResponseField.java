package org.stacktician.cloudstack.client.catalog;

import java.util.List;

/** One field of an API's response as {@code listApis} describes it (nested fields in {@code children}). */
public record ResponseField(String name, String type, String description, List<ResponseField> children) {

  public ResponseField {
    children = List.copyOf(children);
  }
}
