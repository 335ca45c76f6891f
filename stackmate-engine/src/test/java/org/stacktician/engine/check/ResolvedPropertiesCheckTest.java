package org.stacktician.engine.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.StackValidationException;
import org.stacktician.engine.stack.StackEvent;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.testing.SimulatedEngineTest;
import org.stacktician.template.TemplateError;

/**
 * A value left to run time is checked fully once resolved, before its create call: a problem found
 * then fails that resource with the same path and message as the same value written literally
 * gets before creation, and the stack rolls back with nothing sent half-encoded.
 */
class ResolvedPropertiesCheckTest extends SimulatedEngineTest {
  static final String TEMPLATE = """
      Parameters:
        ZoneId: {Type: String}
        DiskOfferingId: {Type: String}
      Resources:
        Sg: {Type: CloudStack::SecurityGroup, Properties: {name: !Sub "${AWS::StackName}-sg"}}
        Vol:
          Type: CloudStack::Volume
          Properties: {zoneid: !Ref ZoneId, diskofferingid: !Ref DiskOfferingId, size: %s}
      """;

  private String failedReason(String template, String logicalId) throws Exception {
    StackRecord s = local.engine().createStack(CreateStackRequest.of("late", template, cloud.volumeParameters()));
    StackRecord done = local.engine().awaitSettled(s.stackId(), Duration.ofSeconds(60));
    assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
    assertThat(cloud.simulator.inventory().created()).as("rolled back to nothing").isEmpty();
    return local.engine().events(done.stackId(), 0).stream()
        .filter(e -> e.logicalId().equals(logicalId) && e.status().equals("CREATE_FAILED"))
        .map(StackEvent::statusReason).findFirst().orElseThrow();
  }

  @Test
  void aReferenceThatResolvesToAWrongValueFailsItsResourceWithTheLiteralsPathAndMessage() throws Exception {
    String reason = failedReason(TEMPLATE.formatted("!GetAtt Sg.name"), "Vol");
    assertThat(reason).isEqualTo("Resources/Vol/Properties/size: must be an integer, got \"late-sg\"");

    assertThatThrownBy(() -> local.engine().createStack(CreateStackRequest.of("literal",
        TEMPLATE.formatted("late-sg"), cloud.volumeParameters())))
        .isInstanceOfSatisfying(StackValidationException.class, e -> assertThat(e.errors())
            .extracting(TemplateError::path, TemplateError::message)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("Resources/Vol/Properties/size",
                "must be an integer, got \"late-sg\"")));
  }

  @Test
  void aListItemThatResolvesToAListIsRefusedNamingTheProperty() throws Exception {
    // A security group's ingressrule attribute is a list: inside a list it would be half-encoded.
    String template = """
        Parameters:
          ZoneId: {Type: String}
          DiskOfferingId: {Type: String}
        Resources:
          Sg: {Type: CloudStack::SecurityGroup, Properties: {name: !Sub "${AWS::StackName}-sg"}}
          Other: {Type: CloudStack::SecurityGroup, Properties: {name: other, description: !Join [',', [!Ref Sg]]}}
          Rule:
            Type: CloudStack::SecurityGroupIngress
            Properties: {securitygroupid: !Ref Sg, protocol: tcp, startport: 80, endport: 80,
                         cidrlist: [10.0.0.0/8, !GetAtt Sg.ingressrule]}
        """;
    assertThat(failedReason(template, "Rule")).isEqualTo("Resources/Rule/Properties/cidrlist/1: is itself a list;"
        + " a list's items must be single values (give a list parameter or Fn::Split as the whole property, not"
        + " inside a list)");
  }
}
