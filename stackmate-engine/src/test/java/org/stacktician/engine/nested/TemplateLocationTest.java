package org.stacktician.engine.nested;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A nested TemplateURL resolved against its parent template's location. */
class TemplateLocationTest {
  @Test
  void relativeUrlsResolveAgainstTheParentsDirectoryOrUrl() {
    assertThat(TemplateLocation.resolve("/srv/app/parent.json", "child.json")).isEqualTo("/srv/app/child.json");
    assertThat(TemplateLocation.resolve("/srv/app/parent.json", "../lib/child.json")).isEqualTo("/srv/lib/child.json");
    assertThat(TemplateLocation.resolve("file:/srv/app/parent.json", "child.json")).isEqualTo("/srv/app/child.json");
    assertThat(TemplateLocation.resolve("http://h:8/t/parent.json", "child.json")).isEqualTo("http://h:8/t/child.json");
    assertThat(TemplateLocation.resolve("https://h/t/parent.json", "/other/c.json")).as("absolute path on that site")
        .isEqualTo("https://h/other/c.json");
  }

  @Test
  void absoluteUrlsAndUnknownParentsAreLeftAsGiven() {
    assertThat(TemplateLocation.resolve("/srv/app/parent.json", "http://x/c.json")).isEqualTo("http://x/c.json");
    assertThat(TemplateLocation.resolve("/srv/app/parent.json", "stored:child")).isEqualTo("stored:child");
    assertThat(TemplateLocation.resolve("/srv/app/parent.json", "/abs/c.json")).isEqualTo("/abs/c.json");
    assertThat(TemplateLocation.resolve(null, "child.json")).isEqualTo("child.json");
    assertThat(TemplateLocation.resolve("template", "child.json")).as("a bare name, not a location").isEqualTo("child.json");
    assertThat(TemplateLocation.resolve("stored:parent", "child.json")).isEqualTo("child.json");
  }

  @Test
  void whatIsNoPathOrUrlIsAnIllegalArgument() {
    assertThatThrownBy(() -> TemplateLocation.resolve("http://h/t/p.json", "a b\\c|d"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
