package org.stacktician.cloudstack.client.catalog;

import java.nio.file.Path;

/** Developer aid: prints the derived types and exclusions of a listApis file. */
final class DumpTypes {
  public static void main(String[] args) {
    ResourceTypeCatalog c = ResourceTypeCatalog.derive(ApiCatalog.fromFile(Path.of(args[0])));
    c.types().values().forEach(t -> System.out.println(t.typeName() + "  " + t.createApi().name() + (t.createApi().async() ? "*" : "")
        + " / " + t.deleteApi().name() + (t.deleteApi().async() ? "*" : "") + "  key=" + t.responseObjectKey() + " del=" + t.deleteArguments()
        + (t.taggable() ? " tag=" + t.tagResourceType() : "")));
    System.out.println("TYPES " + c.types().size());
    c.excluded().forEach(e -> System.out.println("EXCL " + e.api() + ": " + e.reason()));
    System.out.println("EXCLUDED " + c.excluded().size());
  }
}
