package org.stacktician.template.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stacktician.template.LoadResult;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateLimits;
import org.stacktician.template.TemplateLoader;

/**
 * Hostile input ends in a clear error, never an exception, a stack overflow or a huge allocation.
 * The time-outs are generous guards against hangs, not performance assertions.
 */
class HostileInputTest {
  private static final Duration GUARD = Duration.ofSeconds(20);

  private static List<TemplateError> errors(byte[] bytes) {
    LoadResult r = assertTimeoutPreemptively(GUARD, () -> TemplateLoader.load(bytes, "hostile"));
    assertThat(r).isInstanceOf(LoadResult.Invalid.class);
    return ((LoadResult.Invalid) r).errors();
  }

  private static List<TemplateError> errors(String text) {
    return errors(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void yamlAliasBombIsRejectedWithoutExpansion() {
    StringBuilder sb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'z'; c++) {
      char p = (char) (c - 1);
      sb.append(c).append(": &").append(c).append(" [*").append(p);
      for (int i = 0; i < 8; i++) {
        sb.append(",*").append(p);
      }
      sb.append("]\n");
    }
    sb.append("Resources: {R: {Type: A::B, Properties: {x: *z}}}\n");
    assertThat(errors(sb.toString()).get(0).message()).contains("YAML aliases", "not supported");
  }

  @Test
  void tenThousandLevelsOfJsonNestingStopAtTheLimit() {
    String deep = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
    TemplateError e = errors(deep).get(0);
    assertThat(e.message()).contains("more than 100 levels deep");
    assertThat(e.line()).isEqualTo(1);
    String deepArrays = "{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
    assertThat(errors(deepArrays).get(0).message()).contains("levels deep");
  }

  @Test
  void tenThousandLevelsOfYamlNestingStopAtTheLimit() {
    String flow = "a: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";
    assertThat(errors(flow).get(0).message()).containsAnyOf("levels deep", "Malformed YAML");
    StringBuilder block = new StringBuilder();
    for (int i = 0; i < 1_000; i++) { // 10,000 block levels would need 50 MB of indentation
      block.append(" ".repeat(i)).append("k").append(i).append(":\n");
    }
    assertThat(errors(block.toString()).get(0).message()).containsAnyOf("levels deep", "Malformed YAML");
    String tags = "a: " + "!Base64 [".repeat(5_000) + "]".repeat(5_000) + "\n";
    assertThat(errors(tags).get(0).message()).containsAnyOf("levels deep", "Malformed YAML");
  }

  @Test
  void tenMegabyteStringsAreRejectedBySize() {
    String big = "x".repeat(10 * 1024 * 1024);
    assertThat(errors("{\"Description\": \"" + big + "\"}").get(0).message()).contains("larger than the limit");
    assertThat(errors("Description: " + big + "\n").get(0).message()).contains("larger than the limit");
    // with a larger body limit, the string limit still applies
    TemplateLimits roomy = TemplateLimits.defaults().withBodyBytes(20 * 1024 * 1024);
    LoadResult r = assertTimeoutPreemptively(GUARD, () -> TemplateLoader.load("{\"Description\": \"" + big + "\"}",
        "big", roomy));
    assertThat(((LoadResult.Invalid) r).errors().get(0).message()).contains("size limit");
    LoadResult y = assertTimeoutPreemptively(GUARD, () -> TemplateLoader.load("Description: " + big + "\n", "big", roomy));
    assertThat(((LoadResult.Invalid) y).errors().get(0).message()).contains("a string may be at most 524288 characters");
    String folded = "Description: >\n" + ("  " + "y".repeat(1000) + "\n").repeat(1000);
    LoadResult f = assertTimeoutPreemptively(GUARD, () -> TemplateLoader.load(folded, "big", roomy));
    assertThat(((LoadResult.Invalid) f).errors().get(0).message()).contains("longer than the limit");
  }

  @Test
  void invalidUtf8IsReportedWithItsPosition() {
    byte[] yaml = "Resources:\n  A: {Type: \"A::B\"}\nDescription: \"bad \u00ff here\"\n"
        .getBytes(StandardCharsets.ISO_8859_1);
    TemplateError e = errors(yaml).get(0);
    assertThat(e.message()).contains("not valid UTF-8", "0xFF");
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.column()).isEqualTo(19);
    byte[] json = "{\"Description\": \"bad \u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
    TemplateError j = errors(json).get(0);
    assertThat(j.message()).contains("UTF-8");
    assertThat(j.line()).isEqualTo(1);
  }

  @Test
  void hugeBodiesAreRejectedBeforeParsing() {
    byte[] huge = new byte[50 * 1024 * 1024];
    java.util.Arrays.fill(huge, (byte) '[');
    assertThat(errors(huge).get(0).message()).contains("larger than the limit of 1048576 bytes");
  }

  @Test
  void tooManyResourcesParametersAndOutputsAreLimitErrors() {
    StringBuilder sb = new StringBuilder("{\"Parameters\":{");
    for (int i = 0; i < 201; i++) {
      sb.append(i == 0 ? "" : ",").append("\"P").append(i).append("\":{\"Type\":\"String\",\"Default\":\"x\"}");
    }
    sb.append("},\"Resources\":{");
    for (int i = 0; i < 501; i++) {
      sb.append(i == 0 ? "" : ",").append("\"R").append(i).append("\":{\"Type\":\"A::B\"}");
    }
    sb.append("},\"Outputs\":{");
    for (int i = 0; i < 201; i++) {
      sb.append(i == 0 ? "" : ",").append("\"O").append(i).append("\":{\"Value\":\"x\"}");
    }
    sb.append("}}");
    assertThat(errors(sb.toString())).extracting(TemplateError::message).containsExactly(
        "Template format error: Number of parameters, 201, is greater than maximum allowed, 200",
        "Template format error: Number of resources, 501, is greater than maximum allowed, 500",
        "Template format error: Number of outputs, 201, is greater than maximum allowed, 200");
    LoadResult relaxed = TemplateLoader.load(sb.toString().replace("\"P200\":{\"Type\":\"String\",\"Default\":\"x\"}",
        "\"Q\":{\"Type\":\"String\",\"Default\":\"x\"}"), "x", TemplateLimits.defaults().withResources(600));
    assertThat(((LoadResult.Invalid) relaxed).errors()).extracting(TemplateError::message)
        .noneMatch(m -> m.contains("resources"));
  }

  @Test
  void hugeNumbersAndLongKeysDoNotBlowUp() {
    String digits = "9".repeat(100_000);
    assertThat(errors("{\"Resources\": {\"A\": {\"Type\": " + digits + "}}}").get(0).message())
        .contains("size limit");
    LoadResult yaml = TemplateLoader.load("Resources:\n  A:\n    Type: A::B\n    Properties:\n      n: " + digits + "\n", "n");
    assertThat(yaml).isInstanceOf(LoadResult.Loaded.class);
    String key = "K".repeat(300);
    assertThat(errors("Resources:\n  " + key + ": {Type: A::B}\n").get(0).message()).contains("longer than 255");
  }
}
