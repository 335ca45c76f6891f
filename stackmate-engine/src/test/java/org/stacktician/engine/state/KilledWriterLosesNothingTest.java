package org.stacktician.engine.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that writes to the H2 state file and is killed (SIGKILL: no shutdown hook, nothing flushed on the way
 * out) loses none of the commits it made, also when the file existed before it opened it (as for every command after
 * the first: update-stack, watch-stack, delete-stack on a stack made by create-stack). H2 keeps commits in memory for
 * up to half a second by default, which a kill loses, so every open must make commits go to disk at once.
 */
class KilledWriterLosesNothingTest {
  @TempDir Path dir;

  @Test
  void aKilledProcessOnAnExistingStateFileLosesNoCommit() throws Exception {
    // The file exists before the writer opens it: another process made it and ended.
    assertThat(java("open").start().waitFor()).isZero();
    Process writer = java("write").start();
    int lastCommitted = -1;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(),
        StandardCharsets.UTF_8))) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      String line;
      while (lastCommitted < 50 && (line = out.readLine()) != null) {
        lastCommitted = Integer.parseInt(line.trim());
        assertThat(System.nanoTime()).as("the writer commits").isLessThan(deadline);
      }
      writer.destroyForcibly().waitFor(); // SIGKILL right after a commit it reported
    } finally {
      writer.destroyForcibly();
    }
    assertThat(lastCommitted).as("the writer reported commits").isGreaterThanOrEqualTo(50);
    try (EngineDatabase db = EngineDatabase.h2File(dir); Connection c = db.dataSource().getConnection();
        ResultSet rs = c.createStatement().executeQuery("SELECT body FROM sm_templates WHERE template_name = 'n'")) {
      assertThat(rs.next()).as("the commits are on disk").isTrue();
      assertThat(Integer.parseInt(rs.getString(1))).as("no commit it reported was lost")
          .isGreaterThanOrEqualTo(lastCommitted);
    }
  }

  private ProcessBuilder java(String mode) {
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Dh2.bindAddress=127.0.0.1", Writer.class.getName(),
        mode, dir.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
  }

  /**
   * Another process: {@code open} opens the state file and closes it; {@code write} commits a counter again and
   * again, printing each value once its commit returned, until it is killed.
   */
  public static final class Writer {
    public static void main(String[] args) throws Exception {
      EngineDatabase db = EngineDatabase.h2File(Path.of(args[1]));
      if (args[0].equals("open")) {
        db.close();
        return;
      }
      for (int i = 0; ; i++) {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement p = c.prepareStatement(
            "MERGE INTO sm_templates (template_name, body, stored_at) KEY (template_name)"
                + " VALUES ('n', ?, CURRENT_TIMESTAMP)")) {
          p.setString(1, Integer.toString(i));
          p.executeUpdate();
        }
        System.out.println(i);
        System.out.flush();
      }
    }
  }
}
