package org.stacktician.engine.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens an H2 file database so that only its owner can use it: the directory is owner-only (0700)
 * and the files 0600; the database's users have passwords derived from the {@link StoreKey}, so a
 * process without the key cannot log in; an admin user runs the migrations while the application
 * gets a user without admin rights (H2 refuses it {@code FILE_READ}, {@code FILE_WRITE}, {@code
 * CSVREAD}, {@code LINK_SCHEMA}, {@code CREATE ALIAS}, {@code SCRIPT}, DDL); and a shared file
 * (several processes at once, H2's automatic mixed mode) is served on loopback only. A file made
 * by an older version (user {@code sa}, no password, an admin) gets these credentials when first
 * opened, after its key has been checked. Opening waits, bounded, while another process holds the
 * file's lock. The CLI's state directory and the server's embedded H2 database open through here.
 */
public final class H2StateFile {
  /** The admin user: migrations only. */
  public static final String OWNER_USER = "STACKMATE_OWNER";
  /** The user the application's connection pool logs in as: reads and writes rows, nothing more. */
  public static final String APPLICATION_USER = "STACKMATE";
  /** How long {@link #open} retries by default while another process holds the file's lock. */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
  /**
   * How long {@link #exclusivelyOpening} waits for the processes ahead of it to open the file: they
   * go one at a time, each a few seconds on a loaded machine. The OS frees the lock of a process
   * that dies, so only a live, hung opener makes anyone wait this long.
   */
  public static final Duration OPENING_WAIT = Duration.ofMinutes(2);

  private static final Logger LOG = LoggerFactory.getLogger(H2StateFile.class);
  private static final String LEGACY_USER = "SA";
  /** H2's "wrong user name or password". */
  private static final int WRONG_USER_OR_PASSWORD = 28000;
  /** H2 errors of a file another process is opening, serving or closing at this moment. */
  private static final Set<Integer> BUSY = Set.of(90020, 90067, 90098, 90121, 90135, 50200, 90131, 90033, 90037);
  private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

  static {
    restrictToLoopback();
  }

  /** In this process, one opener per file at a time (an OS file lock is held by the process, not a thread). */
  private static final ConcurrentHashMap<Path, ReentrantLock> OPENING = new ConcurrentHashMap<>();

  private H2StateFile() {}

  /**
   * Runs {@code open} while no other thread or process is opening the same file: the key file's
   * creation, the migrations and the securing of a file an older version made are each a few
   * steps, which processes starting together would otherwise interleave (one reading no key file
   * just before another writes it; one logging in as {@code sa} just before another drops it).
   * Only opening is exclusive: once open, other processes share the file through H2's server.
   *
   * @throws StateStoreException when another opener holds the lock for longer than {@code wait}
   */
  public static <T> T exclusivelyOpening(Path file, Duration wait, Supplier<T> open) {
    Path lockFile = file.toAbsolutePath().resolveSibling(file.getFileName() + ".open.lock");
    prepareDirectory(lockFile.getParent());
    ReentrantLock inProcess = OPENING.computeIfAbsent(lockFile, f -> new ReentrantLock());
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      if (!inProcess.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS)) {
        throw stillOpening(file, wait, lockFile);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StateStoreException("interrupted while waiting for the state database", e);
    }
    try (FileChannel channel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
        lockFileAttributes())) {
      FileLock lock;
      while ((lock = channel.tryLock()) == null) {
        if (System.nanoTime() > deadline) {
          throw stillOpening(file, wait, lockFile);
        }
        sleep(20 + ThreadLocalRandom.current().nextLong(30));
      }
      try (FileLock held = lock) {
        return open.get();
      }
    } catch (IOException e) {
      throw new StateStoreException("cannot lock " + lockFile + " to open the state database: " + e.getMessage(), e);
    } finally {
      inProcess.unlock();
    }
  }

  private static java.nio.file.attribute.FileAttribute<?>[] lockFileAttributes() {
    return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
        ? new java.nio.file.attribute.FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)}
        : new java.nio.file.attribute.FileAttribute<?>[0];
  }

  private static StateStoreException stillOpening(Path file, Duration wait, Path lockFile) {
    return new StateStoreException("cannot open the state database " + location(file) + ": another process kept"
        + " opening it for " + wait.toSeconds() + " s (it holds " + lockFile + ")");
  }

  /** A login to the database; {@link #toString()} hides the password. */
  public record Login(String url, String user, String password) {
    @Override
    public String toString() {
      return "Login[" + url + ", " + user + "]";
    }
  }

  /**
   * Makes H2's servers in this process (the automatic mixed mode's among them) listen on loopback
   * only, unless {@code h2.bindAddress} is already set. It must run before H2 first loads, which
   * reads the property once; the CLI calls it first thing, and loading this class calls it.
   */
  public static void restrictToLoopback() {
    if (System.getProperty("h2.bindAddress") == null) {
      System.setProperty("h2.bindAddress", "127.0.0.1");
    }
  }

  /**
   * Opens the H2 file {@code file} ({@code <file>.mv.db}), creating it (and its directory,
   * owner-only) when missing.
   *
   * @param file the database file without H2's {@code .mv.db}
   * @param key the store key its passwords derive from
   * @param shared true when other processes may open it at the same time (H2's automatic mixed
   *     mode, whose server listens on loopback only, for users who have the key)
   * @param wait how long to keep trying while another process holds the file's lock
   * @param asOwner runs with admin rights on each open, before the application's login is made:
   *     migrations, the key check. On a file made by an older version it runs as {@code sa},
   *     before the credentials change, so a wrong key changes nothing.
   * @param withLogin opens the application's pool with the login given (while an owner connection
   *     keeps the database open); its result is returned
   * @throws StateStoreException when the key does not fit the file, or the file stays locked
   */
  public static <T> T open(Path file, StoreKey key, boolean shared, Duration wait, Consumer<DataSource> asOwner,
      Function<Login, T> withLogin) {
    Path dir = file.toAbsolutePath().getParent();
    prepareDirectory(dir);
    if (shared) {
      requireLoopbackServer();
    }
    Login application = applicationLogin(file, key, shared);
    Login owner = new Login(application.url(), OWNER_USER, key.derivedSecret("h2 owner"));
    long deadline = System.nanoTime() + wait.toNanos();
    SQLException last = null;
    for (int attempt = 0; ; attempt++) {
      try (Connection held = ownerConnection(file, owner, key, asOwner)) {
        commitAtOnce(held);
        grantApplication(held, application);
        T opened = withLogin.apply(application);
        restrictFiles(file);
        return opened;
      } catch (SQLException e) {
        if (!busy(e)) {
          throw new StateStoreException("cannot open the state database " + location(file) + ": " + e.getMessage(), e);
        }
        last = e;
      }
      if (System.nanoTime() > deadline) {
        throw new StateStoreException("cannot open the state database " + location(file) + ": another process kept it"
            + " locked for " + wait.toSeconds() + " s (" + firstLine(last) + "); if no other stackmate is running"
            + " on it, remove the stale lock file " + file.toAbsolutePath() + ".lock.db", last);
      }
      // Processes that start together back off at random, so one of them opens the file and serves the others.
      long pause = Math.min(1000, 50L << Math.min(attempt, 5));
      sleep(pause / 2 + ThreadLocalRandom.current().nextLong(pause));
    }
  }

  /**
   * The application's login to the file (no admin rights; its password derives from the key), for
   * a process that has the key and wants a connection of its own, say over H2's shared-file server.
   */
  public static Login applicationLogin(Path file, StoreKey key, boolean shared) {
    // H2 keeps 8 parsed statements per session by default; the engine and the server use more than
    // that on one pooled connection, so each would be parsed again on nearly every use.
    return new Login("jdbc:h2:file:" + file.toAbsolutePath() + ";QUERY_CACHE_SIZE=128"
        + (shared ? ";AUTO_SERVER=TRUE" : ""), APPLICATION_USER,
        key.derivedSecret("h2 application"));
  }

  /**
   * An admin connection: the owner's, or on a file made by an older version, {@code sa}'s, which
   * it then replaces with the owner (after {@code asOwner} has checked the key).
   */
  private static Connection ownerConnection(Path file, Login owner, StoreKey key, Consumer<DataSource> asOwner)
      throws SQLException {
    Connection held;
    try {
      held = connect(owner);
    } catch (SQLException e) {
      if (e.getErrorCode() != WRONG_USER_OR_PASSWORD) {
        throw e;
      }
      Connection secured = fromLegacy(file, owner, asOwner);
      if (secured != null) {
        return secured;
      }
      try {
        held = connect(owner); // another process may have secured it between the two logins
      } catch (SQLException again) {
        if (again.getErrorCode() == WRONG_USER_OR_PASSWORD) {
          throw new StateStoreException("cannot decrypt the state in " + location(file) + " with this key: the key ("
              + key.source() + ") is not the one the state was written with: the database refuses the login it"
              + " derives", again);
        }
        throw again;
      }
    }
    try {
      asOwner.accept(dataSource(owner));
      return held;
    } catch (RuntimeException e) {
      held.close();
      throw e;
    }
  }

  /**
   * Secures a file an older version made (admin {@code sa}, no password): {@code asOwner} runs as
   * {@code sa} (the key check first), then the owner replaces {@code sa}. Null when {@code sa}
   * cannot log in (the file is secured already).
   */
  private static Connection fromLegacy(Path file, Login owner, Consumer<DataSource> asOwner) throws SQLException {
    Login legacy = new Login(owner.url() + ";IFEXISTS=TRUE", LEGACY_USER, "");
    try (Connection sa = connect(legacy)) {
      try {
        asOwner.accept(dataSource(legacy)); // migrations and the key check, before anything changes
      } catch (RuntimeException e) {
        if (rootCode(e) == WRONG_USER_OR_PASSWORD) {
          throw new HandedOver(e); // another process secured it meanwhile: start again as the owner
        }
        throw e;
      }
      try (PreparedStatement create = sa.prepareStatement("CREATE USER IF NOT EXISTS " + OWNER_USER + " PASSWORD ? ADMIN")) {
        create.setString(1, owner.password());
        create.execute();
      }
    } catch (SQLException e) {
      if (e.getErrorCode() == WRONG_USER_OR_PASSWORD) {
        return null;
      }
      throw e;
    }
    Connection held = connect(owner);
    try (Statement s = held.createStatement()) {
      s.execute("DROP USER IF EXISTS " + LEGACY_USER);
    } catch (SQLException e) {
      held.close();
      throw e;
    }
    LOG.info("Secured the state database {}: its users now need the store key (it had user sa without a password)",
        location(file));
    return held;
  }

  /** The file's credentials changed under an open in progress (another process secured it): open again. */
  private static final class HandedOver extends SQLException {
    HandedOver(Throwable cause) {
      super("another process secured the state database meanwhile", cause);
    }
  }

  private static int rootCode(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql && sql.getErrorCode() != 0) {
        return sql.getErrorCode();
      }
    }
    return 0;
  }

  /**
   * True for a file an older version made (user {@code sa} without a password) whose secrets were
   * never encrypted ({@code hasKeyCheck} false): a new key may be made for it. False for a file with
   * a key check or with credentials of its own, which only its key opens.
   */
  public static boolean legacyWithoutKeyCheck(Path file, java.util.function.Predicate<DataSource> hasKeyCheck) {
    requireLoopbackServer();
    Login legacy = new Login("jdbc:h2:file:" + file.toAbsolutePath() + ";AUTO_SERVER=TRUE;IFEXISTS=TRUE", LEGACY_USER, "");
    try (Connection c = connect(legacy)) {
      return !hasKeyCheck.test(dataSource(legacy));
    } catch (SQLException e) {
      if (e.getErrorCode() == WRONG_USER_OR_PASSWORD) {
        return false;
      }
      throw new StateStoreException("cannot open the state database " + location(file) + ": " + firstLine(e), e);
    }
  }

  /**
   * Makes every commit go to disk when it returns ({@code WRITE_DELAY 0}; H2 keeps them in memory for up to half a
   * second by default, which a killed process loses). Set at every open: H2 does not keep it for the next process that
   * opens the file, which would otherwise lose its last steps when killed. The application's user may not set it.
   */
  private static void commitAtOnce(Connection owner) throws SQLException {
    try (Statement s = owner.createStatement()) {
      s.execute("SET WRITE_DELAY 0");
    }
  }

  /**
   * Makes the application's user and the file's settings once (idempotent: processes opening at
   * once do the same); later opens find the user and change nothing, so they do not write to a
   * file another process is working in.
   */
  private static void grantApplication(Connection owner, Login application) throws SQLException {
    try (PreparedStatement exists = owner.prepareStatement(
        "SELECT IS_ADMIN FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME = ?")) {
      exists.setString(1, APPLICATION_USER);
      try (java.sql.ResultSet rs = exists.executeQuery()) {
        if (rs.next() && !rs.getBoolean(1)) {
          return;
        }
      }
    }
    // One statement after the other: H2 checks that a user exists when an ALTER USER is prepared.
    try (PreparedStatement create = owner.prepareStatement(
        "CREATE USER IF NOT EXISTS " + APPLICATION_USER + " PASSWORD ?")) {
      create.setString(1, application.password());
      create.execute();
    }
    try (PreparedStatement password = owner.prepareStatement("ALTER USER " + APPLICATION_USER + " SET PASSWORD ?")) {
      password.setString(1, application.password());
      password.execute();
    }
    try (Statement s = owner.createStatement()) {
      s.execute("ALTER USER " + APPLICATION_USER + " ADMIN FALSE");
      s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON SCHEMA PUBLIC TO " + APPLICATION_USER);
    }
  }

  private static Connection connect(Login login) throws SQLException {
    return dataSource(login).getConnection();
  }

  private static DataSource dataSource(Login login) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL(login.url());
    ds.setUser(login.user());
    ds.setPassword(login.password());
    return ds;
  }

  private static boolean busy(SQLException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    return e instanceof HandedOver || BUSY.contains(e.getErrorCode()) || message.contains("Lock file") || message.contains("Database may be already in use");
  }

  /** Refuses to share a file while H2 in this process would serve it beyond loopback. */
  private static void requireLoopbackServer() {
    String bind = org.h2.engine.SysProperties.BIND_ADDRESS;
    boolean loopback;
    try {
      loopback = bind != null && !bind.isBlank() && InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException e) {
      loopback = false;
    }
    if (!loopback) {
      throw new StateStoreException("H2 was loaded in this process before the state store could keep its server on"
          + " loopback (h2.bindAddress is " + (bind == null ? "not set" : "'" + bind + "'") + "): start the JVM with"
          + " -Dh2.bindAddress=127.0.0.1, or call H2StateFile.restrictToLoopback() before any other use of H2");
    }
  }

  /** Creates the directory owner-only, or takes group and other access away from an existing one we own. */
  static void prepareDirectory(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        try {
          Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
        } catch (UnsupportedOperationException e) {
          Files.createDirectories(dir); // not a POSIX file system: its ACLs apply
        }
        return;
      }
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
      if (perms.equals(OWNER_ONLY_DIRECTORY)) {
        return;
      }
      if (Files.getOwner(dir).getName().equals(System.getProperty("user.name"))) {
        Files.setPosixFilePermissions(dir, OWNER_ONLY_DIRECTORY);
        LOG.info("Made the state directory {} owner-only (it was {})", dir, PosixFilePermissions.toString(perms));
      } else {
        LOG.warn("The state directory {} is {}, not owner-only (rwx------), and not ours to change", dir,
            PosixFilePermissions.toString(perms));
      }
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: its ACLs apply
    } catch (IOException e) {
      throw new StateStoreException("cannot create the state directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /** H2 makes its files with the process's umask: make them owner-only. */
  private static void restrictFiles(Path file) {
    for (String suffix : List.of(".mv.db", ".lock.db", ".trace.db")) {
      Path f = file.resolveSibling(file.getFileName() + suffix);
      try {
        if (Files.exists(f) && !Files.getPosixFilePermissions(f).equals(OWNER_ONLY_FILE)) {
          Files.setPosixFilePermissions(f, OWNER_ONLY_FILE);
        }
      } catch (UnsupportedOperationException | IOException e) {
        // not a POSIX file system, or gone meanwhile (the lock file of a closing process)
      }
    }
  }

  private static String location(Path file) {
    return file.toAbsolutePath() + ".mv.db";
  }

  private static String firstLine(SQLException e) {
    String m = e == null || e.getMessage() == null ? "" : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StateStoreException("interrupted while waiting for the state database", e);
    }
  }
}
