package org.stacktician.template.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stacktician.template.LoadResult;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateLoader;

/** What stays unsupported or broken is reported once, clearly, without parser internals. */
class ClearMessagesTest {
  private static List<String> errors(byte[] bytes) {
    LoadResult r = TemplateLoader.load(bytes, "t");
    assertThat(r).isInstanceOf(LoadResult.Invalid.class);
    return ((LoadResult.Invalid) r).errors().stream().map(TemplateError::toString).toList();
  }

  private static List<String> errors(String text) {
    return errors(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aTruncatedJsonFileShowsNoParserInternals() {
    assertThat(errors("{\"Resources\": {\"A\": {\"Type\": \"X::Y::Z\"")).containsExactly("Resources/A (1:39): "
        + "Malformed JSON: the template ends too early: an object is not closed (opened at line 1, column 21)");
    assertThat(errors("{\"Resources\": {\"A\": {\"Type\": \"X::Y")).singleElement().asString()
        .doesNotContain("VALUE_STRING").contains("the template ends too early");
  }

  @Test
  void invalidUtf8HasTheSameMessageInJsonAndYaml() {
    byte[] json = "{\"Description\": \"caf?\", \"Resources\": {\"A\": {\"Type\": \"X::Y::Z\"}}}"
        .getBytes(StandardCharsets.UTF_8);
    json[20] = (byte) 0xE9;
    byte[] yaml = "Description: caf?\nResources:\n  A:\n    Type: X::Y::Z\n".getBytes(StandardCharsets.UTF_8);
    yaml[16] = (byte) 0xE9;
    assertThat(errors(json)).containsExactly("(1:21): The template is not valid UTF-8: invalid byte 0xE9 at byte "
        + "offset 20");
    assertThat(errors(yaml)).containsExactly("(1:17): The template is not valid UTF-8: invalid byte 0xE9 at byte "
        + "offset 16");
  }

  @Test
  void flowMappingsWithATrailingCommaAreYaml() {
    String jsonLike = "{\"Resources\": {\"A\": {\"Type\": \"CloudStack::Network\", \"Properties\": {\"name\": \"n\",},},},}";
    LoadResult r = TemplateLoader.load(jsonLike, "t.yaml");
    assertThat(r).isInstanceOf(LoadResult.Loaded.class);
    assertThat(((LoadResult.Loaded) r).template().resources().get("A").properties().get("name").asText())
        .isEqualTo("n");
    assertThat(TemplateLoader.load("Resources:\n  A: {Type: 'CloudStack::Network', Properties: {name: n, },}\n", "t"))
        .isInstanceOf(LoadResult.Loaded.class);
    assertThat(errors("{\"Resources\": {\"A\": [}}")).containsExactly("Resources/A/0 (1:22): Malformed JSON: "
        + "Unexpected close marker '}': expected ']' (for Array starting at line 1, column 21)");
  }

  @Test
  void anUnsupportedTransformIsTheOnlyMessage() {
    assertThat(errors("""
        Transform: AWS::Serverless-2016-10-31
        Globals:
          Function: {Timeout: 3}
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties: {CodeUri: !Ref Nowhere}
        """)).containsExactly("Transform (1:1): Template format error: Transform AWS::Serverless-2016-10-31 is not "
            + "supported by StackMate: it rewrites the template with code that runs in AWS (only "
            + "[AWS::LanguageExtensions] is supported)");
    assertThat(errors("Transform: [{Name: MyMacro, Parameters: {a: b}}]\nResources: {}\n")).singleElement().asString()
        .contains("Transform MyMacro is not supported");
  }

  @Test
  void fnTransformIsReportedAsUnsupportedNotAsAMalformedSub() {
    assertThat(errors("""
        Resources:
          A:
            Type: CloudStack::Network
            Properties:
              displaytext:
                Fn::Sub:
                  Fn::Transform: {Name: AWS::Include, Parameters: {Location: s3://b/k}}
        """)).containsExactly("Resources/A/Properties/displaytext/Fn::Sub/Fn::Transform (7:11): Template format "
            + "error: Fn::Transform (AWS::Include or a macro) is not supported by StackMate: it rewrites the template "
            + "with code that runs in AWS");
  }

  @Test
  void anSsmParameterTypeIsOneMessageNotOnePerRef() {
    assertThat(errors("""
        Parameters:
          Ami:
            Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
        Resources:
          A:
            Type: CloudStack::VirtualMachine
            Properties:
              templateid: !Ref Ami
              name: !Sub "${Ami}-vm"
        """)).containsExactly("Parameters/Ami/Type (3:5): Template format error: SSM parameter types such as "
            + "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id> are not supported on CloudStack; use String");
  }
}
