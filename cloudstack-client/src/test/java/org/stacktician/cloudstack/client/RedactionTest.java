package org.stacktician.cloudstack.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactionTest {

  @Test
  void secretsAreMaskedAndOrdinaryValuesKept() {
    Map<String, String> redacted = Redaction.redact(Map.ofEntries(
        Map.entry("apiKey", "k"), Map.entry("signature", "s"), Map.entry("password", "p"),
        Map.entry("secretkey", "s2"), Map.entry("userdata", "u"), Map.entry("privatekey", "pk"),
        Map.entry("ipsecpsk", "psk"), Map.entry("sessionkey", "sk"), Map.entry("zoneid", "z"),
        Map.entry("name", "web"), Map.entry("details[0].password", "dp"),
        Map.entry("details[1].key", "vm.password"), Map.entry("details[1].value", "dv"),
        Map.entry("tags[0].key", "env"), Map.entry("tags[0].value", "prod")));
    assertThat(redacted).containsEntry("zoneid", "z").containsEntry("name", "web")
        .containsEntry("tags[0].value", "prod").containsEntry("details[1].key", "vm.password");
    assertThat(redacted).containsEntry("apiKey", Redaction.MASK).containsEntry("signature", Redaction.MASK)
        .containsEntry("password", Redaction.MASK).containsEntry("secretkey", Redaction.MASK)
        .containsEntry("userdata", Redaction.MASK).containsEntry("privatekey", Redaction.MASK)
        .containsEntry("ipsecpsk", Redaction.MASK).containsEntry("sessionkey", Redaction.MASK)
        .containsEntry("details[0].password", Redaction.MASK).containsEntry("details[1].value", Redaction.MASK);
  }

  @Test
  void aSecretThatContainsAShorterOneIsMaskedWholeAndItsJsonEscapedFormToo() {
    // Shorter first in the list: masking it first would leave the rest of the longer one shown.
    assertThat(Redaction.mask("got Sup3r and Sup3rS3cret", List.of("Sup3r", "Sup3rS3cret")))
        .isEqualTo("got **** and ****");
    assertThat(Redaction.mask("must be an integer, got \"pa\\\"ss\"", List.of("pa\"ss")))
        .isEqualTo("must be an integer, got \"****\"");
    assertThat(Redaction.mask("nothing here", List.of("", "x"))).isEqualTo("nothing here");
  }
}
