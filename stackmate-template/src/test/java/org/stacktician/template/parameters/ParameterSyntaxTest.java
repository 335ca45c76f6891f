package org.stacktician.template.parameters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The command-line parameter forms: the original's, repeated K=V, the AWS CLI's shorthand and JSON file. */
class ParameterSyntaxTest {

  @Test
  void originalSemicolonForm() {
    assertThat(ParameterSyntax.parseOption("K=V;K2=V2;")).containsExactly(entry("K", "V"), entry("K2", "V2"));
    assertThatThrownBy(() -> ParameterSyntax.parseOption("K=V;oops")).hasMessageContaining("Bad parameter 'oops'");
    assertThatThrownBy(() -> ParameterSyntax.parseOption("K=V;P=a=b")).hasMessageContaining("P=****")
        .hasMessageNotContaining("a=b");
  }

  @Test
  void repeatedKeyValueKeepsEqualsInValuesAndLaterWins() {
    assertThat(ParameterSyntax.parseOptions(List.of("A=1", "B=x=y", "A=2", "C="))).containsExactly(
        entry("A", "2"), entry("B", "x=y"), entry("C", ""));
    assertThatThrownBy(() -> ParameterSyntax.parseOption("=v")).hasMessageContaining("Bad parameter");
    assertThatThrownBy(() -> ParameterSyntax.parseOption("novalue")).hasMessageContaining("KEY=VALUE");
  }

  @Test
  void awsCliShorthand() {
    assertThat(ParameterSyntax.parseOption("ParameterKey=Subnets,ParameterValue=a,b,c")).containsExactly(
        entry("Subnets", "a,b,c"));
    assertThat(ParameterSyntax.parseOption("ParameterValue=v,ParameterKey=K")).containsExactly(entry("K", "v"));
    assertThatThrownBy(() -> ParameterSyntax.parseOption("ParameterKey=K,UsePreviousValue=true"))
        .hasMessage("UsePreviousValue is not supported for parameter 'K' here: there is no previous value; give "
            + "ParameterValue");
    assertThatThrownBy(() -> ParameterSyntax.parseOption("ParameterKey=K")).hasMessage("Parameter 'K' has no ParameterValue");
    assertThatThrownBy(() -> ParameterSyntax.parseOption("ParameterKey=,ParameterValue=v"))
        .hasMessageContaining("no ParameterKey");
  }

  @Test
  void awsCliJsonFile() {
    assertThat(ParameterSyntax.parseJsonFile("""
        [{"ParameterKey": "A", "ParameterValue": "1"},
         {"ParameterKey": "B", "ParameterValue": 2, "UsePreviousValue": false}]
        """)).containsExactly(entry("A", "1"), entry("B", "2"));
    assertThatThrownBy(() -> ParameterSyntax.parseJsonFile("[{\"ParameterKey\":\"A\",\"UsePreviousValue\":true}]"))
        .hasMessageContaining("UsePreviousValue is not supported for parameter 'A'");
    assertThatThrownBy(() -> ParameterSyntax.parseJsonFile("{}")).hasMessageContaining("must be a JSON list");
    assertThatThrownBy(() -> ParameterSyntax.parseJsonFile("[1]")).hasMessageContaining("item 0");
    assertThatThrownBy(() -> ParameterSyntax.parseJsonFile("[{\"ParameterValue\":\"x\"}]"))
        .hasMessageContaining("no ParameterKey");
    assertThatThrownBy(() -> ParameterSyntax.parseJsonFile("[{\"ParameterKey\":\"A\"}]"))
        .hasMessageContaining("no ParameterValue");
    assertThatThrownBy(() -> ParameterSyntax.parseJsonFile("[{\"ParameterKey\":\"A\",\"ParameterValue\":\"v\","
        + "\"Extra\":1}]")).hasMessageContaining("unknown field 'Extra'");
    assertThatThrownBy(() -> ParameterSyntax.parseJsonFile("[{")).hasMessageContaining("not valid JSON");
  }
}
