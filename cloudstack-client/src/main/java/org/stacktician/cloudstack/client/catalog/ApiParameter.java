package org.stacktician.cloudstack.client.catalog;

import java.util.List;

/** One request parameter of an API as {@code listApis} describes it. */
public record ApiParameter(String name, String type, boolean required, int length, String description,
    List<String> related, String since) {

  public ApiParameter {
    related = List.copyOf(related);
  }
}
