package org.stacktician.template.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stacktician.template.Plan;
import org.stacktician.template.Template;
import org.stacktician.template.TemplateError;
import org.stacktician.template.TemplateFixtures;

/** DeletionPolicy and UpdateReplacePolicy written with Ref or Fn::If, as in CloudFormation's documentation. */
class ResourcePoliciesTest {
  /** The documentation's example ("Intrinsic function references in DeletionPolicy"), with a CloudStack volume. */
  static final String STAGED = """
      AWSTemplateFormatVersion: 2010-09-09
      Transform: AWS::LanguageExtensions
      Parameters:
        Stage:
          Type: String
          AllowedValues: [Prod, Staging, Dev]
        Policy:
          Type: String
          Default: Snapshot
      Conditions:
        IsProd: !Equals [!Ref Stage, Prod]
      Resources:
        Data:
          Type: CloudStack::Volume
          Properties:
            name: data
          DeletionPolicy: !If [IsProd, Retain, Delete]
          UpdateReplacePolicy: !If [IsProd, Retain, !Ref Policy]
      """;

  @Test
  void policiesResolveWithTheStacksParametersAndConditions() {
    Template t = TemplateFixtures.load(STAGED);
    Plan prod = TemplateFixtures.plan(t, Map.of("Stage", "Prod"));
    assertThat(prod.resources().get("Data").definition().deletionPolicy()).isEqualTo("Retain");
    assertThat(prod.template().resources().get("Data").updateReplacePolicy()).isEqualTo("Retain");
    Plan dev = TemplateFixtures.plan(t, Map.of("Stage", "Dev"));
    assertThat(dev.resources().get("Data").definition().deletionPolicy()).isEqualTo("Delete");
    assertThat(dev.resources().get("Data").definition().updateReplacePolicy()).isEqualTo("Snapshot");
  }

  @Test
  void aPolicyThatResolvesToNoPolicyIsRefusedAtPlan() {
    Template t = TemplateFixtures.load(STAGED);
    assertThat(TemplateFixtures.planErrors(t, Map.of("Stage", "Dev", "Policy", "Keep")))
        .extracting(TemplateError::toString).containsExactly("Resources/Data/UpdateReplacePolicy (18:5): Template "
            + "format error: UpdateReplacePolicy of Data must be one of [Delete, Retain, Snapshot], not Keep");
  }

  @Test
  void aPolicyExpressionIsCheckedWhenTheTemplateIsLoaded() {
    assertThat(TemplateFixtures.errors(STAGED.replace("!If [IsProd, Retain, Delete]", "!If [IsBig, Retain, Gone]")))
        .extracting(TemplateError::message).containsExactly(
            "Template format error: Unresolved condition dependency IsBig in Resources/Data/DeletionPolicy; it is not "
                + "defined in the Conditions section",
            "Template format error: DeletionPolicy must be one of [Delete, Retain, RetainExceptOnCreate, Snapshot] or a "
                + "function that gives one, not \"Gone\"");
    assertThat(TemplateFixtures.errors(STAGED.replace("!Ref Policy", "!Ref Data")))
        .extracting(TemplateError::message).containsExactly(
            "Template format error: UpdateReplacePolicy can refer only to a parameter; Data is not one");
  }
}
