package org.stacktician.cloudstack.client.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EditDistanceTest {
  @Test
  void countsInsertionsDeletionsAndSubstitutions() {
    assertThat(EditDistance.between("", "")).isZero();
    assertThat(EditDistance.between("zoneid", "zoneid")).isZero();
    assertThat(EditDistance.between("", "abc")).isEqualTo(3);
    assertThat(EditDistance.between("abc", "")).isEqualTo(3);
    assertThat(EditDistance.between("kitten", "sitting")).isEqualTo(3);
    assertThat(EditDistance.between("zonid", "zoneid")).isEqualTo(1);
    assertThat(EditDistance.between("flaw", "lawn")).isEqualTo(2);
  }
}
