package org.stacktician.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class StateCipherTest {
  private final StateCipher cipher = new StateCipher(StoreKey.random("test key"), "/tmp/x/stackmate.mv.db");

  @Test
  void sealedValuesRoundTripAndHideThePlaintext() {
    String secret = "{\"Password\":\"hunter2-\u00e9\u6f22\"}";
    String sealed = cipher.seal(secret);
    assertThat(sealed).startsWith("sm1:").doesNotContain("hunter2");
    assertThat(new String(Base64.getDecoder().decode(sealed.substring(4)), java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("hunter2");
    assertThat(cipher.open(sealed)).isEqualTo(secret);
    assertThat(cipher.seal(null)).isNull();
    assertThat(cipher.open(null)).isNull();
    assertThat(cipher.open(cipher.seal(""))).isEmpty();
  }

  @Test
  void everyValueGetsItsOwnNonce() {
    assertThat(cipher.seal("same")).isNotEqualTo(cipher.seal("same"));
    byte[] a = Base64.getDecoder().decode(cipher.seal("same").substring(4));
    assertThat(a).hasSize(12 + 4 + 16);
  }

  @Test
  void aWrongKeyFailsClearlyAndNamesTheStateAndKeySource() {
    String sealed = cipher.seal("secret");
    StateCipher other = new StateCipher(StoreKey.random("key file /home/u/.stackmate/stackmate.key"),
        "/tmp/x/stackmate.mv.db");
    assertThatThrownBy(() -> other.open(sealed))
        .isInstanceOf(StateStoreException.class)
        .hasMessageStartingWith("cannot decrypt the state in /tmp/x/stackmate.mv.db with this key: ")
        .hasMessageContaining("key file /home/u/.stackmate/stackmate.key")
        .hasMessageNotContaining("secret");
  }

  @Test
  void tamperedPlaintextAndUnknownFormatsAreRefused() {
    String sealed = cipher.seal("secret value");
    byte[] raw = Base64.getDecoder().decode(sealed.substring(4));
    raw[raw.length - 20] ^= 1;
    String tampered = "sm1:" + Base64.getEncoder().encodeToString(raw);
    assertThatThrownBy(() -> cipher.open(tampered)).hasMessageContaining("damaged");
    assertThatThrownBy(() -> cipher.open("{\"a\":1}")).hasMessageContaining("should be encrypted is not");
    assertThatThrownBy(() -> cipher.open("sm2:AAAA")).hasMessageContaining("unknown format 'sm2:'");
    assertThatThrownBy(() -> cipher.open("sm1:!!")).hasMessageContaining("not base64");
    assertThatThrownBy(() -> cipher.open("sm1:AAAA")).hasMessageContaining("too short");
  }
}
