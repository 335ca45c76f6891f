package org.stacktician.template.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.stacktician.template.LoadResult;
import org.stacktician.template.Plan;
import org.stacktician.template.PlannedResource;
import org.stacktician.template.Template;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateFixtures;
import org.stacktician.template.TemplateLoader;
import org.stacktician.testing.SharedFiles;

/** Every template the original StackMate shipped validates and plans; the two negative ones fail as they should. */
class ShippedTemplatesTest {

  static Stream<String> shipped() throws IOException {
    if (!SharedFiles.present()) {
      return Stream.of("(shared material absent)");
    }
    try (Stream<Path> files = Files.list(SharedFiles.resolve("templates/stackmate"))) {
      return files.filter(p -> p.toString().endsWith(".template")).map(p -> p.getFileName().toString()).sorted()
          .toList().stream();
    }
  }

  private static String read(String relative) throws IOException {
    return Files.readString(SharedFiles.resolve(relative));
  }

  /**
   * XenDesktop_CloudStack_Basic refers to NetscalerDNSName and NetscalerIP without declaring them
   * (the original resolved undeclared names from user values or local.yml). CloudFormation rejects
   * such references, and so do we: see {@link #undeclaredReferencesInXenDesktopBasicAreNamed()}.
   */
  static final String UNDECLARED_REFS = "XenDesktop_CloudStack_Basic.template";

  @ParameterizedTest(name = "{0}")
  @MethodSource("shipped")
  void validatesAndPlans(String name) throws IOException {
    String text = read("templates/stackmate/" + name);
    if (name.equals(UNDECLARED_REFS)) {
      text = declareNetscalerParameters(text);
    }
    Template template = TemplateFixtures.load(text);
    Plan plan = TemplateFixtures.plan(template, TemplateFixtures.satisfyingValues(template));
    assertThat(plan.resources()).hasSameSizeAs(template.resources());
    int scheduled = plan.waves().stream().mapToInt(List::size).sum();
    assertThat(scheduled).isEqualTo(plan.resources().values().stream().filter(PlannedResource::included).count());
    // every dependency runs in an earlier wave
    for (int w = 0; w < plan.waves().size(); w++) {
      for (String id : plan.waves().get(w)) {
        for (String dep : plan.resources().get(id).dependsOn()) {
          int depWave = waveOf(plan, dep);
          assertThat(depWave).as("%s depends on %s", id, dep).isLessThan(w);
        }
      }
    }
  }

  /** Adds the two parameter declarations XenDesktop_CloudStack_Advanced has and the Basic variant lacks. */
  private static String declareNetscalerParameters(String text) {
    int at = text.indexOf("\"Parameters\"");
    int brace = text.indexOf('{', at);
    return text.substring(0, brace + 1)
        + "\"NetscalerDNSName\": {\"Type\": \"String\", \"Default\": \"\"},"
        + "\"NetscalerIP\": {\"Type\": \"String\", \"Default\": \"\"},"
        + text.substring(brace + 1);
  }

  @Test
  void undeclaredReferencesInXenDesktopBasicAreNamed() throws IOException {
    List<TemplateError> errors = TemplateFixtures.errors(read("templates/stackmate/" + UNDECLARED_REFS));
    assertThat(errors).isNotEmpty().allSatisfy(e -> assertThat(e.message()).matches(
        "Template format error: Unresolved resource dependencies \\[(NetscalerDNSName|NetscalerIP)\\] in the "
            + "Resources block of the template"));
    assertThat(errors).extracting(TemplateError::line).allSatisfy(line -> assertThat(line).isPositive());
  }

  private static int waveOf(Plan plan, String id) {
    for (int w = 0; w < plan.waves().size(); w++) {
      if (plan.waves().get(w).contains(id)) {
        return w;
      }
    }
    return -1;
  }

  @Test
  void lampTwoInstanceOrderMatchesTheOriginal() throws IOException {
    Template template = TemplateFixtures.load(read("templates/stackmate/LAMP_Two_Instance.template"));
    Plan plan = TemplateFixtures.plan(template, TemplateFixtures.satisfyingValues(template));
    // the original's tsort order: WebServerSecurityGroup, WaitHandle, WebServer, DbServer, WaitCondition
    assertThat(waveOf(plan, "WebServerSecurityGroup")).isLessThan(waveOf(plan, "WebServer"));
    assertThat(waveOf(plan, "WaitHandle")).isLessThan(waveOf(plan, "WebServer"));
    assertThat(waveOf(plan, "WebServer")).isLessThan(waveOf(plan, "WaitCondition"));
  }

  @Test
  void circularTemplateNamesTheCycle() throws IOException {
    List<TemplateError> errors = TemplateFixtures.errors(read("templates/stackmate/negative/test_dependency_circular.template"));
    assertThat(errors).anySatisfy(e -> {
      assertThat(e.message()).contains("Circular dependency between resources")
          .contains("WebServer").contains("WebServerSecurityGroup");
      assertThat(e.line()).isPositive();
    });
  }

  @Test
  void badReferenceTemplateNamesTheReference() throws IOException {
    LoadResult result = TemplateLoader.load(
        read("templates/stackmate/negative/test_dependency_bad_reference.template"), "bad");
    assertThat(result).isInstanceOf(LoadResult.Invalid.class);
    List<TemplateError> errors = ((LoadResult.Invalid) result).errors();
    assertThat(errors).anySatisfy(e -> {
      assertThat(e.message()).isEqualTo(
          "Template format error: Unresolved resource dependencies [BadWebServer] in the Resources block of the template");
      assertThat(e.path()).isEqualTo("Resources/WebServerSecurityGroup/DependsOn");
      assertThat(e.line()).isPositive();
    });
  }
}
