package org.stacktician.template.parameters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The command-line parameter forms: the original's, repeated K=V, the AWS CLI's shorthand and JSON file. */
class ParameterSyntaxTest {

  @Test
  void originalSemicolonFormOnlyWhenEveryPartNamesADeclaredParameter() {
    Set<String> declared = Set.of("K", "K2", "Password", "Secret");
    assertThat(ParameterSyntax.parseOption("K=V;K2=a=b", declared)).containsExactly(entry("K", "V"), entry("K2", "a=b"));
    assertThat(ParameterSyntax.parseOption("Password=pass;word12", declared)).as("word12 is no KEY=")
        .containsExactly(entry("Password", "pass;word12"));
    assertThat(ParameterSyntax.parseOption("Secret=Passw0rd;", declared)).as("an empty part is no KEY=")
        .containsExactly(entry("Secret", "Passw0rd;"));
    assertThat(ParameterSyntax.parseOption("K=V;Other=x", declared)).as("Other is not declared")
        .containsExactly(entry("K", "V;Other=x"));
    assertThat(ParameterSyntax.parseOption("K=V;K2=V2", Set.of())).as("nothing declared: nothing to split on")
        .containsExactly(entry("K", "V;K2=V2"));
  }

  @Test
  void repeatedKeyValueKeepsEqualsInValuesAndLaterWins() {
    assertThat(ParameterSyntax.parseOptions(List.of("A=1", "B=x=y", "A=2", "C="), Set.of("A", "B", "C"))).containsExactly(
        entry("A", "2"), entry("B", "x=y"), entry("C", ""));
    assertThatThrownBy(() -> ParameterSyntax.parseOption("=v", Set.of())).hasMessageContaining("Bad parameter");
    assertThatThrownBy(() -> ParameterSyntax.parseOption("novalue", Set.of())).hasMessageContaining("KEY=VALUE");
  }

  @Test
  void awsCliShorthand() {
    assertThat(ParameterSyntax.parseOption("ParameterKey=Subnets,ParameterValue=a,b,c", Set.of())).containsExactly(
        entry("Subnets", "a,b,c"));
    assertThat(ParameterSyntax.parseOption("ParameterValue=v,ParameterKey=K", Set.of())).containsExactly(entry("K", "v"));
    assertThatThrownBy(() -> ParameterSyntax.parseOption("ParameterKey=K,UsePreviousValue=true", Set.of()))
        .hasMessage("UsePreviousValue is not supported for parameter 'K' here: there is no previous value; give "
            + "ParameterValue");
    assertThatThrownBy(() -> ParameterSyntax.parseOption("ParameterKey=K", Set.of())).hasMessage("Parameter 'K' has no ParameterValue");
    assertThatThrownBy(() -> ParameterSyntax.parseOption("ParameterKey=,ParameterValue=v", Set.of()))
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
