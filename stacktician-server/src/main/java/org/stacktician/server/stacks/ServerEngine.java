package org.stacktician.server.stacks;

import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;
import org.stacktician.engine.StackEngine;
import org.stacktician.engine.callback.CallbackRoutes;
import org.stacktician.engine.callback.UrlSigner;
import org.stacktician.engine.drift.DriftStore;
import org.stacktician.engine.execution.CloudEnvironment;
import org.stacktician.engine.provider.CloudResolver;
import org.stacktician.engine.provider.ProviderContext;
import org.stacktician.engine.state.JdbiStateStore;
import org.stacktician.engine.state.StoreResourceReader;
import org.stacktician.engine.state.StoreSignalStore;
import org.stacktician.server.ServerException;
import org.stacktician.server.clouds.CloudAccountStore;
import org.stacktician.server.db.ServerDatabase;
import org.stacktician.server.templates.TemplateLibrary;

/**
 * The server's one stack engine over its database: every user's stacks, each in its owner's cloud
 * account ({@link AccountClients}), with the engine's callback routes (wait-condition signals,
 * custom-resource responses, stack-scoped metadata) served by the server at its public URL.
 */
public final class ServerEngine implements AutoCloseable {
  private final StackEngine engine;
  private final AccountClients clients;

  private ServerEngine(StackEngine engine, AccountClients clients) {
    this.engine = engine;
    this.clients = clients;
  }

  /**
   * What the HTTP routes need before the engine exists (the server's URL is known only once it
   * listens): the state store and callback routes now, the stack service once the engine runs.
   */
  public static final class Holder {
    private final JdbiStateStore store;
    private final CallbackRoutes routes;
    private final StoreResourceReader resources;
    private final AtomicReference<StackEngine> engine = new AtomicReference<>();
    private final AtomicReference<StackService> service = new AtomicReference<>();

    public Holder(ServerDatabase db) {
      this.store = new JdbiStateStore(db.engineDatabase());
      this.resources = new StoreResourceReader(store, new DriftStore(db.engineDatabase()));
      this.routes = new CallbackRoutes(store::signingKey, new StoreSignalStore(store), resources,
          (stackId, key) -> {
            StackEngine e = engine.get();
            if (e != null) {
              e.wake(stackId);
            }
          }, null, CallbackRoutes.MetadataAccess.STACK_CREDENTIALS);
    }

    /** The callback routes (signed URLs; metadata only with a stack's credentials, never open). */
    public CallbackRoutes callbackRoutes() {
      return routes;
    }

    /** The stacks' resources as the metadata API shows them. */
    public StoreResourceReader resourceReader() {
      return resources;
    }

    /** The stack service, once the engine runs. */
    public StackService service() {
      StackService s = service.get();
      if (s == null) {
        throw new ServerException.Unavailable("the server is starting; try again in a moment");
      }
      return s;
    }
  }

  /**
   * Builds and starts the engine (resuming stacks an earlier process left in progress). Each stack's {@code
   * CloudStack::} types are its account's cloud's ({@link AccountClients#resourceTypes}): the engine has none of its
   * own.
   */
  public static ServerEngine start(ServerDatabase db, CloudAccountStore clouds, TemplateLibrary templates,
      Holder holder, URI url) {
    AccountClients clients = new AccountClients(clouds);
    UrlSigner signer = new UrlSigner(holder.store::signingKey, url);
    ProviderContext.Builder ctx = ProviderContext.builder()
        .signalStore(new StoreSignalStore(holder.store))
        .urlSigner(signer)
        .service(CloudResolver.class, clients);
    CloudEnvironment env = CloudEnvironment.local();
    env = new CloudEnvironment(env.region(), env.accountId(), env.urlSuffix(), url.toString(), null)
        .withStackScopedApiUrl(stackId -> signer.metadataUrl(stackId).toString());
    StackEngine engine = StackEngine.builder()
        .database(db.engineDatabase(), false)
        .store(holder.store)
        .providerContext(ctx.build())
        .environment(env)
        .build();
    try {
      engine.start();
    } catch (RuntimeException e) {
      engine.close();
      clients.close();
      throw e;
    }
    holder.engine.set(engine);
    holder.service.set(new StackService(db, engine, clouds, templates));
    return new ServerEngine(engine, clients);
  }

  public StackEngine engine() {
    return engine;
  }

  @Override
  public void close() {
    engine.close();
    clients.close();
  }
}
