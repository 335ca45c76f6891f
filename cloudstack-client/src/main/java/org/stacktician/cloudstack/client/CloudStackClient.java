package org.stacktician.cloudstack.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stacktician.cloudstack.client.catalog.ApiCatalog;
import org.stacktician.cloudstack.client.catalog.ApiDefinition;
import org.stacktician.cloudstack.client.catalog.CatalogCache;
import org.stacktician.cloudstack.client.envelope.AsyncJobResult;
import org.stacktician.cloudstack.client.envelope.ResponseEnvelope;
import org.stacktician.cloudstack.client.signing.RequestSigner;

/**
 * A small, exact CloudStack API client: signing (v1 and v3 with {@code expires}), GET for reads and
 * POST for everything else, envelopes read by rule, typed errors, async-job polling, and retries only
 * where a repeat cannot do harm. Thread-safe; one instance per endpoint and key pair.
 */
public final class CloudStackClient implements AutoCloseable {

  /** Largest response body accepted (a full listApis is about 3 MB). */
  public static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(CloudStackClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> RESERVED = Set.of("command", "response", "apikey", "signature",
      "signatureversion", "expires");
  private static final String QUERY_ASYNC_JOB_RESULT = "queryAsyncJobResult";

  private final URI endpoint;
  private final Credentials credentials;
  private final Duration requestTimeout;
  private final boolean signatureVersion3;
  private final Duration expiresWindow;
  private final RetryPolicy retryPolicy;
  private final Clock clock;
  private final Duration pollInitial;
  private final Duration pollMax;
  private final CatalogCache catalogCache;
  private final HttpClient http;
  private final java.util.concurrent.ExecutorService httpExecutor;
  /** Values hidden in logs and error messages besides secret-named parameters (see {@link #masking}). */
  private final List<String> maskedValues;
  /** False for a {@link #masking} view, which shares the connections and closes nothing. */
  private final boolean ownsConnections;

  private CloudStackClient(Builder b) {
    this.endpoint = b.endpoint;
    this.credentials = b.credentials;
    this.requestTimeout = b.requestTimeout;
    this.signatureVersion3 = b.signatureVersion3;
    this.expiresWindow = b.expiresWindow;
    this.retryPolicy = b.retryPolicy;
    this.clock = b.clock;
    this.pollInitial = b.pollInitial;
    this.pollMax = b.pollMax;
    this.catalogCache = b.catalogCache;
    this.maskedValues = List.of();
    this.ownsConnections = true;
    this.httpExecutor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    HttpClient.Builder hb = HttpClient.newBuilder()
        // Virtual threads for the client's internal work: its default executor is a cached pool of
        // platform threads, one per call in flight, which a thousand waiting stacks would multiply.
        .executor(httpExecutor)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(b.connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER);
    if (b.trustCa != null) {
      hb.sslContext(TrustedCa.sslContext(b.trustCa));
    } else if (b.sslContext != null) {
      hb.sslContext(b.sslContext);
    }
    this.http = hb.build();
  }

  private CloudStackClient(CloudStackClient base, List<String> maskedValues) {
    this.endpoint = base.endpoint;
    this.credentials = base.credentials;
    this.requestTimeout = base.requestTimeout;
    this.signatureVersion3 = base.signatureVersion3;
    this.expiresWindow = base.expiresWindow;
    this.retryPolicy = base.retryPolicy;
    this.clock = base.clock;
    this.pollInitial = base.pollInitial;
    this.pollMax = base.pollMax;
    this.catalogCache = base.catalogCache;
    this.http = base.http;
    this.httpExecutor = base.httpExecutor;
    this.maskedValues = maskedValues;
    this.ownsConnections = false;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A view of this client that also hides these values (a stack's NoEcho parameters, which a
   * template may put into any parameter) wherever it logs or reports a request's parameters or
   * CloudStack's error text. It shares this client's connections; closing it closes nothing.
   */
  public CloudStackClient masking(java.util.Collection<String> values) {
    List<String> all = new ArrayList<>(maskedValues);
    values.stream().filter(v -> v != null && !v.isEmpty() && !all.contains(v)).forEach(all::add);
    // Longest first, so a secret that contains another is hidden whole.
    all.sort(java.util.Comparator.comparingInt(String::length).reversed());
    return all.equals(maskedValues) ? this : new CloudStackClient(this, List.copyOf(all));
  }

  public URI endpoint() {
    return endpoint;
  }

  /**
   * Which cloud account this client works in, as {@code <endpoint>#<fingerprint>}: the {@link
   * #canonicalEndpoint canonical} endpoint and a {@link Fingerprint} of the API key (never the key
   * itself), to tell clouds apart. Compare keys with {@link #sameAccount}, which also accepts the
   * keys that versions before the canonical form recorded.
   */
  public String accountKey() {
    String url = canonicalEndpoint(endpoint);
    // Kept short enough for a 256-character column: a very long endpoint is cut and fingerprinted.
    String shown = url.length() <= 200 ? url : url.substring(0, 180) + "~" + Fingerprint.of(url);
    return shown + "#" + Fingerprint.of(credentials.apiKey());
  }

  /**
   * An endpoint as account keys name it, so that spellings of one cloud agree: scheme and host in
   * lower case, no default port (80 for http, 443 for https), no trailing slash, no user info or
   * fragment. The path and query keep their case (a server may tell them apart).
   */
  public static String canonicalEndpoint(URI endpoint) {
    String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
    String host = endpoint.getHost() == null ? "" : endpoint.getHost().toLowerCase(Locale.ROOT);
    int port = endpoint.getPort();
    boolean defaultPort = (port == 80 && scheme.equals("http")) || (port == 443 && scheme.equals("https"));
    String path = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String query = endpoint.getRawQuery();
    return scheme + "://" + host + (port < 0 || defaultPort ? "" : ":" + port) + path
        + (query == null || query.isEmpty() ? "" : "?" + query);
  }

  /**
   * True when two {@link #accountKey() account keys} name the same account: the same API key
   * fingerprint and endpoints equal once {@link #canonicalEndpoint canonical} (so a key recorded
   * with {@code .../client/api/} still matches {@code .../client/api}).
   */
  public static boolean sameAccount(String a, String b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a.equals(b)) {
      return true;
    }
    int ha = a.lastIndexOf('#');
    int hb = b.lastIndexOf('#');
    if (ha < 0 || hb < 0 || !a.substring(ha).equals(b.substring(hb))) {
      return false;
    }
    return canonicalText(a.substring(0, ha)).equals(canonicalText(b.substring(0, hb)));
  }

  /** {@link #canonicalEndpoint} of an endpoint's text; text that is no absolute URL is compared as it is. */
  private static String canonicalText(String endpoint) {
    try {
      URI uri = new URI(endpoint);
      return uri.isAbsolute() && uri.getHost() != null ? canonicalEndpoint(uri) : endpoint;
    } catch (java.net.URISyntaxException e) {
      return endpoint;
    }
  }

  /** The endpoint part of an {@link #accountKey()} (the whole text when it is not one). */
  public static String endpointOf(String accountKey) {
    int hash = accountKey.lastIndexOf('#');
    return hash < 0 ? accountKey : accountKey.substring(0, hash);
  }

  /** Calls a sync API and returns the object inside {@code <command>response} (the envelope removed). */
  public JsonNode call(String command, Map<String, String> params) {
    return execute(command, params);
  }

  /** Calls a list API and returns its items, whatever the item key; empty for {@code {}} bodies. */
  public List<JsonNode> list(String command, Map<String, String> params) {
    return ResponseEnvelope.listItems(execute(command, params));
  }

  /**
   * Calls a list API page by page ({@code page}, {@code pagesize}) until {@code count} items are
   * read or a page comes back short.
   */
  public List<JsonNode> listAll(String command, Map<String, String> params, int pageSize) {
    if (pageSize < 1) {
      throw new IllegalArgumentException("pageSize must be positive");
    }
    List<JsonNode> all = new ArrayList<>();
    for (int page = 1; ; page++) {
      Map<String, String> p = new LinkedHashMap<>(params);
      p.put("page", Integer.toString(page));
      p.put("pagesize", Integer.toString(pageSize));
      JsonNode inner = execute(command, p);
      List<JsonNode> items = ResponseEnvelope.listItems(inner);
      all.addAll(items);
      if (items.size() < pageSize || all.size() >= ResponseEnvelope.count(inner)) {
        return List.copyOf(all);
      }
    }
  }

  /** Submits an async API; returns the job id (and the new object's id for async creates). */
  public AsyncJobHandle submit(String command, Map<String, String> params) {
    JsonNode inner = execute(command, params);
    String jobId = text(inner.get("jobid"));
    if (jobId == null) {
      throw new CloudStackProtocolException(command, "CloudStack answered " + command
          + " without a jobid (is it an async API?): " + Redaction.mask(snippet(inner.toString()), maskedValues),
          null);
    }
    return new AsyncJobHandle(jobId, text(inner.get("id")), command);
  }

  /** One poll of {@code queryAsyncJobResult}. */
  public AsyncJobStatus queryJob(String jobId) {
    Objects.requireNonNull(jobId, "jobId");
    AsyncJobStatus status = AsyncJobResult.read(jobId, execute(QUERY_ASYNC_JOB_RESULT, Map.of("jobid", jobId)));
    return status instanceof AsyncJobStatus.Failed f && !maskedValues.isEmpty()
        ? new AsyncJobStatus.Failed(f.jobId(), f.errorCode(), Redaction.mask(f.errorText(), maskedValues)) : status;
  }

  /**
   * Polls the job until it finishes, with adaptive back-off (the interval grows 1.5x per pending
   * poll from the initial to the maximum interval, never past the deadline). Returns the
   * {@code jobresult}; throws {@link AsyncJobFailedException} or {@link AsyncJobTimeoutException}.
   */
  public JsonNode await(AsyncJobHandle job, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long intervalMillis = Math.max(1, pollInitial.toMillis());
    while (true) {
      AsyncJobStatus status = queryJob(job.jobId());
      switch (status) {
        case AsyncJobStatus.Succeeded s -> {
          return s.result();
        }
        case AsyncJobStatus.Failed f -> throw new AsyncJobFailedException(job.command(), f.jobId(),
            f.errorCode(), f.errorText());
        case AsyncJobStatus.Pending p -> {
          long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
          if (remainingMillis <= 0) {
            throw new AsyncJobTimeoutException(job.command(), job.jobId(), timeout);
          }
          sleep(Math.min(intervalMillis, remainingMillis), job.command());
          intervalMillis = Math.min(pollMax.toMillis(), Math.max(intervalMillis + 1, intervalMillis * 3 / 2));
        }
      }
    }
  }

  /** Submits an async API and waits for its result ({@link #submit} then {@link #await}). */
  public JsonNode submitAndAwait(String command, Map<String, String> params, Duration timeout) {
    return await(submit(command, params), timeout);
  }

  /** Reads this endpoint's {@code listApis} into a catalog, from the cache when one is configured. */
  public ApiCatalog discover() {
    return discover(false);
  }

  /**
   * Reads this endpoint's {@code listApis}. With a catalog cache, the CloudStack version
   * ({@code listCapabilities.cloudstackversion}) selects the entry; {@code refresh} fetches anew.
   */
  public ApiCatalog discover(boolean refresh) {
    Optional<String> version = catalogCache == null ? Optional.empty() : serverVersion();
    if (version.isPresent() && !refresh) {
      Optional<ApiCatalog> cached = catalogCache.load(endpoint, version.get());
      if (cached.isPresent()) {
        LOG.debug("Using cached listApis of {} (CloudStack {})", endpoint, version.get());
        return cached.get();
      }
    }
    JsonNode inner = execute("listApis", Map.of());
    ApiCatalog parsed = ApiCatalog.fromListApisJson(inner, endpoint.toString());
    if (version.isPresent()) {
      catalogCache.store(endpoint, version.get(), inner);
      return new ApiCatalog(endpoint.toString(), version.get(), parsed.apis());
    }
    return parsed;
  }

  /** The server's CloudStack version from {@code listCapabilities}, if it answers it. */
  public Optional<String> serverVersion() {
    try {
      JsonNode inner = execute("listCapabilities", Map.of());
      JsonNode capability = inner.path("capability");
      String version = text(capability.get("cloudstackversion"));
      return Optional.ofNullable(version);
    } catch (CloudStackApiException e) {
      if (e.isAuthenticationFailure()) {
        throw e;
      }
      LOG.debug("listCapabilities unavailable on {}: {}", endpoint, e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    if (ownsConnections) {
      http.close();
      httpExecutor.shutdown();
    }
  }

  // ---------------------------------------------------------------- request execution

  private JsonNode execute(String command, Map<String, String> params) {
    if (command == null || command.isBlank()) {
      throw new IllegalArgumentException("CloudStack command must not be blank");
    }
    for (String name : params.keySet()) {
      if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("parameter '" + name + "' is set by the client, not by callers");
      }
    }
    boolean readOnly = ApiDefinition.isReadOnlyCommand(command);
    boolean post = !readOnly || params.keySet().stream().anyMatch(k -> k.equalsIgnoreCase("userdata"));
    Map<String, String> redacted = Redaction.redact(params, maskedValues);
    for (int attempt = 1; ; attempt++) {
      HttpRequest request = buildRequest(command, params, post);
      LOG.debug("CloudStack {} {} {} (attempt {})", post ? "POST" : "GET", command, redacted, attempt);
      long started = System.nanoTime();
      HttpResponse<InputStream> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        boolean notSent = HttpFailures.neverSent(e);
        if ((notSent || readOnly) && attempt < retryPolicy.maxAttempts()) {
          LOG.debug("CloudStack {} attempt {} failed ({}); retrying", command, attempt, describe(e));
          sleep(retryPolicy.backoff(attempt).toMillis(), command);
          continue;
        }
        throw transportFailure(command, redacted, e, notSent, readOnly, attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        if (readOnly) {
          throw new CloudStackTransportException(command, "interrupted while calling " + command, e);
        }
        throw new CloudStackOutcomeUnknownException(command, redacted,
            "interrupted while waiting for CloudStack to answer " + command
                + "; it may or may not have been carried out", e);
      }
      int status = response.statusCode();
      byte[] body;
      try (InputStream in = response.body()) {
        body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
      } catch (IOException e) {
        throw transportFailure(command, redacted, e, false, readOnly, attempt);
      }
      LOG.debug("CloudStack {} answered HTTP {} ({} bytes) in {} ms", command, status, body.length,
          (System.nanoTime() - started) / 1_000_000);
      if ((status == 429 || status == 503) && attempt < retryPolicy.maxAttempts()) {
        long pause = retryAfterMillis(response).orElse(retryPolicy.backoff(attempt).toMillis());
        LOG.debug("CloudStack {} answered HTTP {}; retrying in {} ms", command, status, pause);
        sleep(Math.min(pause, retryPolicy.maxBackoff().toMillis()), command);
        continue;
      }
      return interpret(command, redacted, status, response, body);
    }
  }

  private JsonNode interpret(String command, Map<String, String> redacted, int status,
      HttpResponse<InputStream> response, byte[] body) {
    if (body.length > MAX_RESPONSE_BYTES) {
      throw new CloudStackProtocolException(command, "CloudStack answer to " + command + " is larger than "
          + MAX_RESPONSE_BYTES + " bytes", null);
    }
    JsonNode root = null;
    try {
      root = body.length == 0 ? null : JSON.readTree(body);
    } catch (IOException e) {
      // not JSON: handled below
    }
    Optional<JsonNode> inner = ResponseEnvelope.unwrap(root);
    if (status != 200) {
      if (inner.isPresent() && ResponseEnvelope.isError(inner.get())) {
        ResponseEnvelope.ApiError error = ResponseEnvelope.error(inner.get());
        throw new CloudStackApiException(status, error.errorCode(), error.csErrorCode(),
            Redaction.mask(error.errorText(), maskedValues), command, redacted);
      }
      String text = response.headers().firstValue("X-Description")
          .map(t -> Redaction.mask(t, maskedValues))
          .orElse(body.length == 0 ? "(empty body)"
              : Redaction.mask(snippet(new String(body, StandardCharsets.UTF_8)), maskedValues));
      throw new CloudStackApiException(status, 0, 0, text, command, redacted);
    }
    if (inner.isEmpty()) {
      throw new CloudStackProtocolException(command, "CloudStack endpoint " + endpoint
          + " answered " + command + " with something that is not a CloudStack JSON response: "
          + Redaction.mask(snippet(new String(body, StandardCharsets.UTF_8)), maskedValues), null);
    }
    if (ResponseEnvelope.isError(inner.get())) {
      ResponseEnvelope.ApiError error = ResponseEnvelope.error(inner.get());
      throw new CloudStackApiException(status, error.errorCode(), error.csErrorCode(),
          Redaction.mask(error.errorText(), maskedValues), command, redacted);
    }
    return inner.get();
  }

  private HttpRequest buildRequest(String command, Map<String, String> params, boolean post) {
    Map<String, String> all = new LinkedHashMap<>(params);
    all.put("command", command);
    all.put("response", "json");
    all.put("apiKey", credentials.apiKey());
    if (signatureVersion3) {
      all.put("signatureVersion", "3");
      all.put("expires", RequestSigner.expiresIn(expiresWindow, clock));
    }
    String signature = RequestSigner.sign(all, credentials.secretKey());
    all.put("signature", signature);
    String encoded = all.entrySet().stream()
        .map(e -> urlEncode(e.getKey()) + "=" + urlEncode(e.getValue()))
        .collect(Collectors.joining("&"));
    HttpRequest.Builder rb = HttpRequest.newBuilder().timeout(requestTimeout).header("Accept", "application/json");
    if (post) {
      return rb.uri(endpoint)
          .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
          .POST(HttpRequest.BodyPublishers.ofString(encoded, StandardCharsets.UTF_8))
          .build();
    }
    String base = endpoint.toString();
    String separator = endpoint.getRawQuery() == null ? "?" : "&";
    return rb.uri(URI.create(base + separator + encoded)).GET().build();
  }

  private CloudStackException transportFailure(String command, Map<String, String> redacted, IOException e,
      boolean notSent, boolean readOnly, int attempts) {
    String what = describe(e);
    String tries = attempts > 1 ? " after " + attempts + " attempts" : "";
    if (notSent) {
      return new CloudStackTransportException(command, "cannot reach CloudStack endpoint " + endpoint + " ("
          + what + ")" + tries + ": check the URL, that the management server is running and that "
          + "the network allows the connection", e);
    }
    if (readOnly) {
      return new CloudStackTransportException(command, "CloudStack endpoint " + endpoint + " did not answer "
          + command + " (" + what + ")" + tries, e);
    }
    return new CloudStackOutcomeUnknownException(command, redacted, "CloudStack endpoint " + endpoint
        + " did not answer " + command + " (" + what + "); the request may or may not have been carried "
        + "out, so it is not resubmitted: check the cloud's state before retrying", e);
  }

  private String describe(IOException e) {
    return HttpFailures.describe(e, requestTimeout);
  }

  private static Optional<Long> retryAfterMillis(HttpResponse<?> response) {
    return response.headers().firstValue("Retry-After").flatMap(v -> {
      try {
        return Optional.of(Long.parseLong(v.trim()) * 1000);
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    });
  }

  private static void sleep(long millis, String command) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CloudStackTransportException(command, "interrupted while waiting to retry " + command, e);
    }
  }

  private static String urlEncode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String text(JsonNode node) {
    if (node == null || node.isNull() || node.isContainerNode()) {
      return null;
    }
    String t = node.asText();
    return t.isEmpty() ? null : t;
  }

  private static String snippet(String text) {
    String oneLine = text.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
  }

  /** Configuration of a {@link CloudStackClient}. */
  public static final class Builder {
    private URI endpoint;
    private Credentials credentials;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(60);
    private Path trustCa;
    private SSLContext sslContext;
    private boolean signatureVersion3 = true;
    private Duration expiresWindow = Duration.ofMinutes(10);
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private Clock clock = Clock.systemUTC();
    private Duration pollInitial = Duration.ofMillis(500);
    private Duration pollMax = Duration.ofSeconds(10);
    private CatalogCache catalogCache;

    private Builder() {
    }

    /** The API URL, e.g. {@code http://cloud:8080/client/api}. */
    public Builder endpoint(URI endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      String scheme = endpoint.getScheme();
      if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || endpoint.getHost() == null) {
        throw new IllegalArgumentException("CloudStack endpoint must be an http(s) URL such as "
            + "http://cloud:8080/client/api, got '" + endpoint + "'");
      }
      this.endpoint = endpoint;
      return this;
    }

    public Builder credentials(Credentials credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connectTimeout");
      return this;
    }

    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = positive(requestTimeout, "requestTimeout");
      return this;
    }

    /** Trust only the CA certificate(s) in this PEM file for https endpoints (e.g. a private cloud's CA). */
    public Builder trustCa(Path caFile) {
      this.trustCa = caFile;
      return this;
    }

    /** A ready TLS context (alternative to {@link #trustCa}). */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext = sslContext;
      return this;
    }

    /** Sign with {@code signatureVersion=3} and an {@code expires} time (default on). */
    public Builder signatureVersion3(boolean enabled) {
      this.signatureVersion3 = enabled;
      return this;
    }

    /** How far ahead {@code expires} is set (default 10 minutes; servers enforcing it allow at most 15). */
    public Builder expiresWindow(Duration window) {
      this.expiresWindow = positive(window, "expiresWindow");
      return this;
    }

    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /** The clock for {@code expires} (tests use a fixed one). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Async-job polling: first interval and the largest one (defaults 500 ms and 10 s). */
    public Builder asyncPolling(Duration initial, Duration max) {
      this.pollInitial = positive(initial, "initial poll interval");
      this.pollMax = positive(max, "max poll interval");
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("max poll interval must not be below the initial one");
      }
      return this;
    }

    /** Cache listApis answers per endpoint and version (none by default). */
    public Builder catalogCache(CatalogCache cache) {
      this.catalogCache = cache;
      return this;
    }

    public CloudStackClient build() {
      if (endpoint == null) {
        throw new IllegalStateException("a CloudStack endpoint is required");
      }
      if (credentials == null) {
        throw new IllegalStateException("CloudStack credentials (API key and secret key) are required");
      }
      return new CloudStackClient(this);
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive");
      }
      return d;
    }
  }

}
