package org.stacktician.cloudstack.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.stacktician.cloudstack.client.catalog.ApiCatalog;

/** A small, exact CloudStack API client (signing, envelopes, errors, async jobs, retries). */
public final class CloudStackClient implements AutoCloseable {

    private final Builder config;

    private CloudStackClient(Builder config) {
        this.config = config;
    }

    public static Builder builder() {
        return new Builder();
    }

    public URI endpoint() {
        return config.endpoint;
    }

    /** Calls a sync API and returns the object inside {@code <command>response} (the envelope removed). */
    public JsonNode call(String command, Map<String, String> params) {
        throw new UnsupportedOperationException("in progress");
    }

    /** Calls a list API and returns its items, whatever the item key; empty for {@code {}} bodies. */
    public List<JsonNode> list(String command, Map<String, String> params) {
        throw new UnsupportedOperationException("in progress");
    }

    /** Submits an async API; returns the job id (and the new object's id for async creates). */
    public AsyncJobHandle submit(String command, Map<String, String> params) {
        throw new UnsupportedOperationException("in progress");
    }

    /** One poll of {@code queryAsyncJobResult}. */
    public AsyncJobStatus queryJob(String jobId) {
        throw new UnsupportedOperationException("in progress");
    }

    /** Polls the job with adaptive back-off until it finishes; returns its {@code jobresult}. */
    public JsonNode await(AsyncJobHandle job, Duration timeout) {
        throw new UnsupportedOperationException("in progress");
    }

    /** Reads this endpoint's {@code listApis} into a catalog. */
    public ApiCatalog discover() {
        throw new UnsupportedOperationException("in progress");
    }

    @Override
    public void close() {
    }

    /** Configuration of a {@link CloudStackClient}. */
    public static final class Builder {
        private URI endpoint;
        private Credentials credentials;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private Path trustCa;
        private boolean signatureVersion3 = true;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder endpoint(URI endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        public Builder credentials(Credentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
            return this;
        }

        /** Trust the CA certificate(s) in this PEM file (in addition to nothing else) for https endpoints. */
        public Builder trustCa(Path caFile) {
            this.trustCa = caFile;
            return this;
        }

        public Builder signatureVersion3(boolean enabled) {
            this.signatureVersion3 = enabled;
            return this;
        }

        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public CloudStackClient build() {
            Objects.requireNonNull(endpoint, "endpoint is required");
            Objects.requireNonNull(credentials, "credentials are required");
            return new CloudStackClient(this);
        }
    }
}
