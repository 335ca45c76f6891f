package org.stacktician.server.demo;

import java.util.Optional;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;
import org.stacktician.server.Ids;
import org.stacktician.server.auth.AccessKey;
import org.stacktician.server.auth.AccessKeyStore;
import org.stacktician.server.auth.NewAccessKey;
import org.stacktician.server.clouds.CloudAccount;
import org.stacktician.server.clouds.CloudAccountStore;
import org.stacktician.server.db.Settings;
import org.stacktician.server.users.User;
import org.stacktician.server.users.UserStore;

/**
 * The embedded defaults' demo: a user {@value #DEMO_USER} (an admin) with a password and an
 * access key kept from one start to the next (both printed at every start, so a newcomer can use
 * the API at once), and a cloud account on the embedded simulator, labelled SIMULATED. Without the
 * demo, the first start of an empty database makes an admin whose password and key are shown once.
 */
public final class DemoSetup {
  public static final String DEMO_USER = "demo";
  public static final String FIRST_ADMIN = "admin";
  static final String DEMO_KEY_DESCRIPTION = "demo key";
  static final String DEMO_ACCOUNT = "demo-simulator";
  private static final String PASSWORD_SETTING = "demo-password";

  private final UserStore users;
  private final AccessKeyStore keys;
  private final CloudAccountStore clouds;
  private final Settings settings;

  public DemoSetup(UserStore users, AccessKeyStore keys, CloudAccountStore clouds, Settings settings) {
    this.users = users;
    this.keys = keys;
    this.clouds = clouds;
    this.settings = settings;
  }

  /** Credentials to print at start (a user's password, null when its user changed it, and one access key). */
  public record Credentials(String userName, String password, String accessKeyId, String secretAccessKey,
      String cloudLabel, boolean shownOnce) {
    @Override
    public String toString() {
      return "Credentials[" + userName + ", " + accessKeyId + "]";
    }
  }

  /** Makes (first start) or finds the demo user, key and cloud account, pointed at this start's simulator. */
  public Credentials demo(CloudStackSimulator simulator) {
    Optional<User> existing = users.findByName(DEMO_USER);
    User user;
    String password;
    if (existing.isPresent()) {
      user = existing.get();
      if (!user.demo()) {
        throw new IllegalStateException("a user named '" + DEMO_USER + "' exists and is not the demo user; turn the"
            + " demo off (demo=false) or rename that user");
      }
      // A password its user has changed since is theirs: it is no longer known, so not shown.
      password = settings.secret(PASSWORD_SETTING).orElseGet(() -> resetPassword(user));
      if (!users.passwordMatches(user.id(), password)) {
        password = null;
      }
    } else {
      password = Ids.secret(15);
      user = users.create(DEMO_USER, password, true, true);
      settings.putSecret(PASSWORD_SETTING, password);
    }
    String keyId = keys.ofUser(user.id()).stream()
        .filter(k -> k.revokedAt() == null && DEMO_KEY_DESCRIPTION.equals(k.description()))
        .map(AccessKey::accessKeyId).reduce((a, b) -> b).orElse(null);
    String secret;
    if (keyId == null) {
      NewAccessKey made = keys.create(user.id(), DEMO_KEY_DESCRIPTION);
      keyId = made.key().accessKeyId();
      secret = made.secretAccessKey();
    } else {
      secret = keys.active(keyId).orElseThrow().secret();
    }
    CloudAccount account = clouds.ofUser(user.id()).stream().filter(a -> a.simulated() && a.name().equals(DEMO_ACCOUNT))
        .findFirst().orElse(null);
    if (account == null) {
      account = clouds.insert(user.id(), new CloudAccountStore.Input(DEMO_ACCOUNT, simulator.endpoint().toString(),
          simulator.credentials().apiKey(), simulator.credentials().secretKey()), true, false);
    } else {
      // The simulator is in memory and takes a new port at each start: the account follows it.
      clouds.repoint(account.id(), simulator.endpoint(), simulator.credentials());
      account = clouds.find(account.id()).orElseThrow();
    }
    return new Credentials(user.name(), password, keyId, secret, account.label(), false);
  }

  /** On an empty database without the demo: the first admin, whose password and key are shown only now. */
  public Optional<Credentials> firstAdmin() {
    if (!users.list().isEmpty()) {
      return Optional.empty();
    }
    String password = Ids.secret(15);
    User admin = users.create(FIRST_ADMIN, password, true, false);
    NewAccessKey key = keys.create(admin.id(), "first admin key");
    return Optional.of(new Credentials(admin.name(), password, key.key().accessKeyId(), key.secretAccessKey(), null,
        true));
  }

  private String resetPassword(User user) {
    String password = Ids.secret(15);
    users.setPassword(user.id(), password);
    settings.putSecret(PASSWORD_SETTING, password);
    return password;
  }
}
