package org.stacktician.cloudstack.simulator.cloud;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.stacktician.cloudstack.simulator.config.Capacity;

/**
 * The whole simulated cloud in memory: accounts and resources. Every read and change happens
 * under one lock ({@link #locked}); API calls are short, so one lock keeps the model simple and
 * still serves thousands of calls per second.
 */
public final class CloudState {
  /** CloudStack's date format in responses. */
  public static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ").withZone(ZoneOffset.UTC);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final ReentrantLock lock = new ReentrantLock();
  private final Map<ResourceKind, Map<String, Resource>> byKind = new EnumMap<>(ResourceKind.class);
  private final Map<String, Resource> byId = new HashMap<>();
  private final Map<String, Account> accountsByKey = new LinkedHashMap<>();
  private final List<Account> accounts = new ArrayList<>();
  private final Random random;
  private final Clock clock;
  private final Capacity capacity;
  private long sequence;

  public CloudState(long seed, Clock clock, Capacity capacity) {
    this.random = new Random(seed);
    this.clock = clock;
    this.capacity = capacity;
    for (ResourceKind k : ResourceKind.values()) {
      byKind.put(k, new LinkedHashMap<>());
    }
  }

  /** Runs {@code work} holding the cloud's lock. */
  public <T> T locked(Supplier<T> work) {
    lock.lock();
    try {
      return work.get();
    } finally {
      lock.unlock();
    }
  }

  public void locked(Runnable work) {
    locked(() -> {
      work.run();
      return null;
    });
  }

  public Clock clock() {
    return clock;
  }

  public Capacity capacity() {
    return capacity;
  }

  /** Now, formatted as CloudStack formats dates. */
  public String now() {
    return DATE.format(clock.instant());
  }

  /** A fresh random UUID drawn from the seeded generator (reproducible for a given seed and call order). */
  public String newId() {
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  /** A random token (for API keys, fingerprints ...) from the seeded generator. */
  public String token(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** A number that grows by one per call (instance names, IP suffixes). */
  public long nextSequence() {
    return ++sequence;
  }

  public void addAccount(Account account) {
    accounts.add(account);
    accountsByKey.put(account.credentials().apiKey(), account);
  }

  public List<Account> accounts() {
    return List.copyOf(accounts);
  }

  /** The account owning an API key (matched exactly). */
  public Optional<Account> accountByApiKey(String apiKey) {
    return Optional.ofNullable(accountsByKey.get(apiKey));
  }

  /** Stores a resource; {@code view} gets its {@code id} field. */
  public Resource add(ResourceKind kind, String id, Account owner, ObjectNode view, boolean seeded) {
    ObjectNode ordered = JSON.objectNode();
    ordered.put("id", id);
    ordered.setAll(view);
    Resource r = new Resource(kind, id, owner, ordered, seeded);
    byKind.get(kind).put(id, r);
    byId.put(id, r);
    return r;
  }

  public void remove(Resource r) {
    byKind.get(r.kind()).remove(r.id());
    byId.remove(r.id());
  }

  public Optional<Resource> byId(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** The resource of this kind with this id, if {@code account} may see it. */
  public Optional<Resource> find(ResourceKind kind, String id, Account account) {
    Resource r = byKind.get(kind).get(id);
    return r != null && visible(r, account) ? Optional.of(r) : Optional.empty();
  }

  /** Every resource of this kind that {@code account} may see, in creation order. */
  public List<Resource> list(ResourceKind kind, Account account) {
    List<Resource> out = new ArrayList<>();
    for (Resource r : byKind.get(kind).values()) {
      if (visible(r, account)) {
        out.add(r);
      }
    }
    return out;
  }

  /** Every resource of this kind, whoever owns it. */
  public Collection<Resource> all(ResourceKind kind) {
    return List.copyOf(byKind.get(kind).values());
  }

  public int count(ResourceKind kind) {
    return byKind.get(kind).size();
  }

  private static boolean visible(Resource r, Account account) {
    return r.owner() == null || account == null || r.owner().id().equals(account.id());
  }

  /** The response form of a resource: its view plus rendered tags. */
  public ObjectNode render(Resource r) {
    ObjectNode out = r.view().deepCopy();
    if (r.kind().tagType() != null) {
      out.set("tags", renderTags(r));
    }
    return out;
  }

  /** The tag objects of a resource, as listTags and the resource's {@code tags} field show them. */
  public ArrayNode renderTags(Resource r) {
    ArrayNode tags = JSON.arrayNode();
    r.tags().forEach((k, v) -> tags.add(tag(r, k, v)));
    return tags;
  }

  public ObjectNode tag(Resource r, String key, String value) {
    return tag(r.kind().tagType(), r.id(), r.owner(), key, value);
  }

  /** A tag object of anything taggable (also security-group rules, which are not resources here). */
  public static ObjectNode tag(String resourceType, String resourceId, Account owner, String key, String value) {
    ObjectNode t = JSON.objectNode();
    t.put("key", key);
    t.put("value", value);
    t.put("resourcetype", resourceType);
    t.put("resourceid", resourceId);
    if (owner != null) {
      t.put("account", owner.name());
      t.put("domainid", owner.domainId());
      t.put("domain", owner.domain());
    }
    return t;
  }

  /** Puts the owner fields CloudStack adds to account-owned objects. */
  public static void owner(ObjectNode view, Account a) {
    view.put("account", a.name());
    view.put("domainid", a.domainId());
    view.put("domain", a.domain());
  }
}
