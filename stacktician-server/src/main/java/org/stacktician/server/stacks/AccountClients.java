package org.stacktician.server.stacks;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.engine.provider.CloudResolver;
import org.stacktician.server.clouds.CloudAccountStore;
import org.stacktician.server.clouds.CloudCredentials;

/**
 * The server engine's clouds: a stack's account key names one of its owner's cloud accounts
 * ({@value #PREFIX}{@code <account id>}); its client is built from the account's endpoint and keys
 * (opened only in memory) and kept while they stay the same.
 */
public final class AccountClients implements CloudResolver, AutoCloseable {
  /** Prefix of the account keys of server stacks. */
  public static final String PREFIX = "stacktician-account:";

  private record Cached(CloudCredentials credentials, CloudStackClient client) {}

  private final CloudAccountStore accounts;
  private final Map<String, Cached> clients = new ConcurrentHashMap<>();

  public AccountClients(CloudAccountStore accounts) {
    this.accounts = accounts;
  }

  /** The account key a stack in this account records. */
  public static String accountKey(String cloudAccountId) {
    return PREFIX + cloudAccountId;
  }

  @Override
  public String engineKey() {
    return "stacktician-server";
  }

  @Override
  public CloudStackClient client(String accountKey) {
    if (!accountKey.startsWith(PREFIX)) {
      throw new IllegalStateException("stack account '" + accountKey + "' is not a server cloud account");
    }
    CloudCredentials now = accounts.credentials(accountKey.substring(PREFIX.length()));
    Cached cached = clients.compute(accountKey, (k, old) -> {
      if (old != null && old.credentials().equals(now)) {
        return old;
      }
      if (old != null) {
        old.client().close();
      }
      return new Cached(now, CloudStackClient.builder().endpoint(now.endpoint()).credentials(now.credentials()).build());
    });
    return cached.client();
  }

  @Override
  public void close() {
    clients.values().forEach(c -> c.client().close());
    clients.clear();
  }
}
