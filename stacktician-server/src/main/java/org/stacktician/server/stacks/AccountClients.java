package org.stacktician.server.stacks;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.client.catalog.ResourceTypeCatalog;
import org.stacktician.engine.provider.CloudResolver;
import org.stacktician.server.clouds.CloudAccountStore;
import org.stacktician.server.clouds.CloudCredentials;

/**
 * The server engine's clouds: a stack's account key names one of its owner's cloud accounts
 * ({@value #PREFIX}{@code <account id>}); its client is built from the account's endpoint and keys
 * (opened only in memory) and kept while they stay the same, and its {@code CloudStack::} types are
 * its cloud's catalog as the database holds it (read from the cloud now if it never was).
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
  public Optional<ResourceTypeCatalog> resourceTypes(String accountKey) {
    String id = accountId(accountKey);
    String catalogId = accounts.catalogId(id).orElseGet(() -> accounts.refreshCatalog(id));
    return Optional.of(accounts.catalogs().types(catalogId));
  }

  private static String accountId(String accountKey) {
    if (!accountKey.startsWith(PREFIX)) {
      throw new IllegalStateException("stack account '" + accountKey + "' is not a server cloud account");
    }
    return accountKey.substring(PREFIX.length());
  }

  @Override
  public CloudStackClient client(String accountKey) {
    CloudCredentials now = accounts.credentials(accountId(accountKey));
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
