package org.stacktician.cloudstack.simulator.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stacktician.cloudstack.simulator.api.CommandCatalog;
import org.stacktician.cloudstack.simulator.api.CommandDeclaration;
import org.stacktician.cloudstack.simulator.cloud.Account;
import org.stacktician.cloudstack.simulator.cloud.CloudState;
import org.stacktician.cloudstack.simulator.commands.CommandContext;
import org.stacktician.cloudstack.simulator.commands.CommandOutcome;
import org.stacktician.cloudstack.simulator.commands.CommandRegistry;
import org.stacktician.cloudstack.simulator.commands.Params;
import org.stacktician.cloudstack.simulator.commands.SimulatorServices;
import org.stacktician.cloudstack.simulator.faults.FaultDecision;
import org.stacktician.cloudstack.simulator.faults.Knobs;
import org.stacktician.cloudstack.simulator.jobs.AsyncJob;

/**
 * The CloudStack API endpoint without the HTTP server around it: authenticate, find the command,
 * apply the knobs, check parameters, run the handler under the cloud's lock, wrap the answer.
 */
public final class ApiDispatcher {
  private static final Logger log = LoggerFactory.getLogger(ApiDispatcher.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BAD_CREDENTIALS = "unable to verify user credentials and/or request signature";

  private final CloudState state;
  private final CommandCatalog catalog;
  private final CommandRegistry registry;
  private final SimulatorServices services;
  private final Knobs knobs;
  private final RequestAuthenticator authenticator;
  private final CallLog calls;

  public ApiDispatcher(CloudState state, CommandCatalog catalog, CommandRegistry registry, SimulatorServices services,
      Knobs knobs, RequestAuthenticator authenticator, CallLog calls) {
    this.state = state;
    this.catalog = catalog;
    this.registry = registry;
    this.services = services;
    this.knobs = knobs;
    this.authenticator = authenticator;
    this.calls = calls;
  }

  /** Answers one request; {@code params} holds the first value of each query or form parameter. */
  public ApiResponse handle(Map<String, String> params, boolean post) {
    boolean json = "json".equalsIgnoreCase(params.get("response"));
    String command = params.get("command");
    if (command == null || command.isBlank()) {
      return error("errorresponse", new ApiException(400, 0, "no command specified"), json);
    }
    Optional<Account> account = authenticator.authenticate(params);
    if (account.isEmpty()) {
      return error(Envelopes.responseName(command), new ApiException(401, 0, BAD_CREDENTIALS), json);
    }
    Optional<CommandDeclaration> declaration = catalog.command(command);
    Optional<CommandRegistry.Registered> registered = registry.handler(command);
    if (declaration.isEmpty() || registered.isEmpty()) {
      return error("errorresponse", new ApiException(432, ApiException.CS_SERVER_API, "Unknown API command: " + command), json);
    }
    CommandDeclaration decl = declaration.get();
    calls.record(command, params);
    FaultDecision decision = knobs.decide(command, decl.async());
    if (decision instanceof FaultDecision.Drop drop && drop.beforeExecute()) {
      log.debug("dropping connection of {} before running it (knob)", command);
      return ApiResponse.dropped();
    }
    ApiException injected = null;
    if (decision instanceof FaultDecision.Fail fail) {
      injected = injectedError(command, fail.errorCode());
      if (!fail.inJob()) {
        return error(Envelopes.responseName(command), injected, json);
      }
    }
    ApiResponse response;
    try {
      Params checked = new Params(decl, params);
      ApiException jobError = injected;
      ObjectNode inner = state.locked(() -> run(registered.get(), decl, account.get(), checked, post, jobError));
      response = ok(Envelopes.wrap(command, inner), json);
    } catch (ApiException e) {
      response = error(Envelopes.responseName(command), e, json);
    } catch (RuntimeException e) {
      log.warn("simulated {} failed unexpectedly", command, e);
      response = error(Envelopes.responseName(command),
          ApiException.internal("Internal error executing command, please contact your system administrator"), json);
    }
    if (decision instanceof FaultDecision.Drop) {
      log.debug("dropping connection of {} after running it (knob)", command);
      return ApiResponse.dropped();
    }
    return response;
  }

  private ObjectNode run(CommandRegistry.Registered registered, CommandDeclaration decl, Account account, Params params,
      boolean post, ApiException injected) {
    CommandOutcome outcome = registered.handler().handle(new CommandContext(state, account, params, post, services));
    return switch (outcome) {
      case CommandOutcome.Sync sync -> sync.body();
      case CommandOutcome.Async async -> {
        Duration latency = knobs.hangs(decl.name()) ? null : knobs.jobLatency(decl.name());
        AsyncJob job = services.jobs().submit(account, decl.name(), registered.cmdClass(), async.instanceType(),
            async.instanceId(), async.work(), injected, latency);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (async.resourceId() != null) {
          body.put("id", async.resourceId());
        }
        body.put("jobid", job.id());
        yield body;
      }
    };
  }

  private static ApiException injectedError(String command, int code) {
    int cs = switch (code) {
      case 431 -> 4350;
      case 429 -> 4545;
      case 432 -> 4555;
      case 533 -> 4325;
      case 534 -> 4380;
      case 535 -> 4370;
      case 536 -> 4375;
      case 537 -> 4360;
      case 530 -> 4250;
      default -> 0;
    };
    return new ApiException(code, cs, "Simulated failure of " + command + " (injected error " + code + ")");
  }

  private static ApiResponse ok(ObjectNode envelope, boolean json) {
    return new ApiResponse(200, json ? ApiResponse.JSON : ApiResponse.XML, bytes(envelope, json), null, false);
  }

  private static ApiResponse error(String responseName, ApiException e, boolean json) {
    ObjectNode envelope = JsonNodeFactory.instance.objectNode();
    envelope.set(responseName, Envelopes.error(e));
    return new ApiResponse(e.errorCode(), json ? ApiResponse.JSON : ApiResponse.XML, bytes(envelope, json), e.errorText(), false);
  }

  private static byte[] bytes(ObjectNode envelope, boolean json) {
    if (!json) {
      return XmlBodies.render(envelope).getBytes(StandardCharsets.UTF_8);
    }
    try {
      return JSON.writeValueAsBytes(envelope);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a response", e);
    }
  }
}
