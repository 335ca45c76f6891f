package org.stacktician.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cli.CliRun;

/** The CLI's state key: made beside the state file, owner-only; a wrong one is a clear error, not a crash. */
class StateKeyCliTest {
  @TempDir Path dir;

  @Test
  void aWrongKeyFileIsReportedWithTheStateFileItCannotDecrypt() throws Exception {
    CliRun first = CliRun.stackmate("list-stacks", "--state-dir", dir.toString());
    assertThat(first.exit()).as(first.err()).isZero();
    Path key = dir.resolve("stackmate.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");

    String original = Files.readString(key);
    Files.writeString(key, Base64.getEncoder().encodeToString(new byte[32]));
    CliRun wrong = CliRun.stackmate("list-stacks", "--state-dir", dir.toString());
    assertThat(wrong.exit()).isNotZero();
    assertThat(wrong.err()).contains("error: cannot decrypt the state in "
        + dir.toAbsolutePath().resolve("stackmate.mv.db") + " with this key: the key (key file " + key + ")");

    Files.writeString(key, original);
    assertThat(CliRun.stackmate("list-stacks", "--state-dir", dir.toString()).exit()).isZero();
  }
}
