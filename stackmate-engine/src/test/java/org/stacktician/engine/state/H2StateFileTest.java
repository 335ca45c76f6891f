package org.stacktician.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's H2 file as {@link H2StateFile} opens it: owner-only, key-derived logins, no admin rights for the engine. */
class H2StateFileTest {
  @TempDir Path dir;

  private String url() {
    return "jdbc:h2:file:" + dir.resolve("state").toAbsolutePath().resolve(EngineDatabase.H2_FILE_NAME) + ";AUTO_SERVER=TRUE";
  }

  @Test
  void theDirectoryAndFilesAreOwnerOnlyAndTheEngineUserCannotTouchFiles() throws Exception {
    Path state = dir.resolve("state");
    try (EngineDatabase db = EngineDatabase.h2File(state)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
      for (String name : List.of("stackmate.mv.db", "stackmate.key")) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve(name)))).as(name)
            .isEqualTo("rw-------");
      }
      Path keyFile = state.resolve(StoreKey.FILE_NAME);
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        assertThat(c.getMetaData().getUserName()).isEqualTo(H2StateFile.APPLICATION_USER);
        s.executeUpdate("INSERT INTO sm_settings (setting_name, setting_value) VALUES ('probe', 'x')");
        for (String sql : List.of("SELECT FILE_READ('" + keyFile + "')",
            "CALL FILE_WRITE('pwned', '" + state.resolve("pwned") + "')",
            "SELECT * FROM CSVREAD('" + keyFile + "')",
            "CALL CSVWRITE('" + state.resolve("pwned.csv") + "', 'SELECT 1')",
            "CALL LINK_SCHEMA('X', '', 'jdbc:h2:mem:x', 'sa', '', 'PUBLIC')",
            "CREATE ALIAS READ_KEY FOR 'java.nio.file.Files.readString(java.nio.file.Path)'",
            "SCRIPT TO '" + state.resolve("dump.sql") + "'",
            "CREATE USER INTRUDER PASSWORD 'x' ADMIN",
            "DROP TABLE sm_settings")) {
          assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOf(SQLException.class)
              .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).as(sql).isIn(90040, 90096));
        }
      }
      assertThat(state.resolve("pwned")).doesNotExist();
      // sa with no password (H2's default, and what earlier versions used) and a guessed password are refused.
      assertThatThrownBy(() -> DriverManager.getConnection(url(), "sa", "").close())
          .isInstanceOf(SQLException.class).hasMessageContaining("Wrong user name or password");
      assertThatThrownBy(() -> DriverManager.getConnection(url(), H2StateFile.OWNER_USER, "guess").close())
          .isInstanceOf(SQLException.class).hasMessageContaining("Wrong user name or password");
    }
    try (EngineDatabase db = EngineDatabase.h2File(state)) { // opened again with the same key
      assertThat(new JdbiStateStore(db).listStacks()).isEmpty();
    }
  }

  @Test
  void anExistingDirectoryOpenToOthersIsMadeOwnerOnly() throws Exception {
    Path state = Files.createDirectories(dir.resolve("state"));
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (EngineDatabase db = EngineDatabase.h2File(state)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
    }
  }

  @Test
  void aFileOfAnEarlierVersionGetsKeyDerivedCredentialsAndKeepsItsRows() throws Exception {
    Path state = Files.createDirectories(dir.resolve("state"));
    StoreKey key = StoreKey.random("the test's key");
    try (EngineDatabase db = EngineDatabase.h2File(state, key)) {
      new JdbiStateStore(db).recordSignal("arn:s/1", "H", "u1", "{\"Status\":\"SUCCESS\"}", 1000);
    }
    // Back to what earlier versions left: the admin sa without a password, no other users.
    try (Connection c = DriverManager.getConnection(url(), H2StateFile.OWNER_USER, key.derivedSecret("h2 owner"));
        Statement s = c.createStatement()) {
      s.execute("CREATE USER SA PASSWORD '' ADMIN");
    }
    try (Connection c = DriverManager.getConnection(url(), "sa", ""); Statement s = c.createStatement()) {
      s.execute("DROP USER " + H2StateFile.APPLICATION_USER);
      s.execute("DROP USER " + H2StateFile.OWNER_USER);
    }
    assertThatThrownBy(() -> EngineDatabase.h2File(state, StoreKey.random("a wrong key")).close())
        .hasMessageStartingWith("cannot decrypt the state in ").hasMessageContaining("a wrong key");
    DriverManager.getConnection(url(), "sa", "").close(); // a wrong key changed nothing

    try (EngineDatabase db = EngineDatabase.h2File(state, key)) {
      assertThat(new JdbiStateStore(db).signals("arn:s/1", "H")).extracting(StateStore.SignalRecord::uniqueId)
          .containsExactly("u1");
    }
    assertThatThrownBy(() -> DriverManager.getConnection(url(), "sa", "").close())
        .isInstanceOf(SQLException.class).hasMessageContaining("Wrong user name or password");
    try (Connection c = DriverManager.getConnection(url(), H2StateFile.OWNER_USER, key.derivedSecret("h2 owner"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT USER_NAME, IS_ADMIN FROM INFORMATION_SCHEMA.USERS ORDER BY USER_NAME")) {
      List<String> users = new ArrayList<>();
      while (rs.next()) {
        users.add(rs.getString(1) + "=" + rs.getBoolean(2));
      }
      assertThat(users).containsExactly(H2StateFile.APPLICATION_USER + "=false", H2StateFile.OWNER_USER + "=true");
    }
  }

  @Test
  void aSecuredFileWithoutItsKeyFileIsRefusedClearly() throws Exception {
    Path state = dir.resolve("state");
    EngineDatabase.h2File(state).close();
    Files.delete(state.resolve(StoreKey.FILE_NAME));
    assertThatThrownBy(() -> EngineDatabase.h2File(state).close())
        .hasMessageContaining("its key file " + state.toAbsolutePath().resolve(StoreKey.FILE_NAME) + " is missing");
    assertThat(state.resolve(StoreKey.FILE_NAME)).doesNotExist();
  }

  @Test
  void processesStartingTogetherOnOneStateDirectoryAllOpenIt() throws Exception {
    Path state = dir.resolve("state");
    List<Process> processes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), OpenStateDirectory.class.getName(), state.toString(), "p" + i)
          .redirectErrorStream(true).start());
    }
    List<String> failures = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    for (Process p : processes) { // each says it wrote its row, or fails
      java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
      StringBuilder out = new StringBuilder();
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        out.append(line).append('\n');
        if (line.endsWith("wrote its row")) {
          break;
        }
      }
      outputs.add(out.toString());
    }
    Files.createFile(dir.resolve("go"));
    for (int i = 0; i < processes.size(); i++) {
      Process p = processes.get(i);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      if (p.exitValue() != 0) {
        failures.add(outputs.get(i) + new String(p.getInputStream().readAllBytes()));
      }
    }
    assertThat(failures).as("processes that could not open the state directory").isEmpty();
    try (EngineDatabase db = EngineDatabase.h2File(state)) {
      JdbiStateStore store = new JdbiStateStore(db);
      for (int i = 0; i < 4; i++) {
        assertThat(store.signals("arn:s/together", "p" + i)).as("p" + i).hasSize(1);
      }
    }
  }

  /**
   * One process opening the state directory and writing one row, for the test above. It stays,
   * without using the database, until the file {@code go} beside the directory exists (the test
   * makes it once every process has written), so that all of them start while the others run.
   */
  public static final class OpenStateDirectory {
    public static void main(String[] args) throws InterruptedException {
      Path go = Path.of(args[0]).resolveSibling("go");
      try (EngineDatabase db = EngineDatabase.h2File(Path.of(args[0]))) {
        new JdbiStateStore(db).recordSignal("arn:s/together", args[1], "u", "{}", 1000);
        System.out.println(args[1] + " wrote its row");
        System.out.flush();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!Files.exists(go) && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
      } catch (RuntimeException e) {
        System.out.println(args[1] + ": " + e.getMessage());
        System.exit(1);
      }
      System.exit(0);
    }
  }
}
