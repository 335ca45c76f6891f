package org.stacktician.server.clouds;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.stacktician.cloudstack.client.CloudStackApiException;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.client.CloudStackException;
import org.stacktician.cloudstack.client.CloudStackProtocolException;
import org.stacktician.cloudstack.client.CloudStackTransportException;
import org.stacktician.cloudstack.client.RetryPolicy;
import org.stacktician.server.ServerException;

/**
 * Checks an account against its cloud before it is saved: one signed {@code listZones} call,
 * which fails with CloudStack's 401 for a wrong key and with a transport error for an endpoint
 * nothing answers at; each becomes a 400 naming the field to fix. Reads the cloud's {@code listApis}
 * the same way.
 */
public final class CloudCheck {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private CloudCheck() {}

  /** @throws ServerException.Invalid saying what is wrong with the endpoint or the keys */
  public static void check(CloudCredentials account) {
    call(account, "listZones");
  }

  /**
   * The cloud's {@code listApis} answer (its inner object), with the same errors as {@link #check}.
   *
   * @throws ServerException.Invalid saying what is wrong with the endpoint or the keys
   */
  public static JsonNode listApis(CloudCredentials account) {
    return call(account, "listApis");
  }

  private static JsonNode call(CloudCredentials account, String command) {
    try (CloudStackClient client = CloudStackClient.builder().endpoint(account.endpoint())
        .credentials(account.credentials()).connectTimeout(TIMEOUT).requestTimeout(TIMEOUT)
        .retryPolicy(RetryPolicy.none()).build()) {
      return client.call(command, Map.of());
    } catch (CloudStackApiException e) {
      if (e.isAuthenticationFailure()) {
        throw ServerException.Invalid.field("secretKey", "CloudStack at " + account.endpoint()
            + " refused the API key and secret key (HTTP 401: " + e.errorText() + "); check both keys");
      }
      throw ServerException.Invalid.field("endpoint", "CloudStack at " + account.endpoint()
          + " refused a " + command + " call with these keys: " + e.getMessage());
    } catch (CloudStackTransportException e) {
      throw ServerException.Invalid.field("endpoint", e.getMessage());
    } catch (CloudStackProtocolException e) {
      throw ServerException.Invalid.field("endpoint", account.endpoint() + " did not answer as a CloudStack API"
          + " (expected the API path, e.g. http://cloud.example.com:8080/client/api): " + e.getMessage());
    } catch (CloudStackException | IllegalArgumentException e) {
      throw ServerException.Invalid.field("endpoint", "cannot check the account at " + account.endpoint() + ": "
          + e.getMessage());
    }
  }
}
