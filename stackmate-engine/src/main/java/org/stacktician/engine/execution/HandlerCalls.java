package org.stacktician.engine.execution;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stacktician.engine.provider.ErrorCode;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.ResourceHandler;
import org.stacktician.engine.provider.ResourceRequest;
import org.stacktician.engine.provider.registry.ProviderRegistry;
import org.stacktician.engine.stack.ResourceRecord;

/**
 * The engine's calls of resource handlers: each call counted, a handler's exception or missing
 * answer turned into a failure, calls of one round run in parallel with a bound on how long one
 * may take.
 */
final class HandlerCalls {
  private static final Logger LOG = LoggerFactory.getLogger(HandlerCalls.class);
  /** A handler call that has not answered after this is abandoned; its outcome is then unknown. */
  static final Duration HANDLER_CALL_TIMEOUT = Duration.ofMinutes(2);

  /**
   * Stands for a call that did not answer: the operation keeps its state (a first call's outcome
   * stays unknown, so the next call looks the resource up) and is tried again shortly.
   */
  static final ProgressEvent.InProgress UNANSWERED = ProgressEvent.inProgress(Duration.ofSeconds(5),
      "the handler did not answer in time");

  /**
   * Stands for a lookup the cloud cannot answer yet ({@link ErrorCode#NOT_STABILIZED}): the row keeps its state
   * and is looked up again shortly, never created or counted deleted on a guess.
   */
  static final ProgressEvent.InProgress NOT_YET_KNOWN = ProgressEvent.inProgress(Duration.ofSeconds(1),
      "the cloud is still at work on the resource; looking it up again");

  private final ProviderRegistry registry;
  private final Counters counters;

  HandlerCalls(ProviderRegistry registry, Counters counters) {
    this.registry = registry;
    this.counters = counters;
  }

  /** The handler of a row's type, or the failure to report when there is none. */
  java.util.Optional<ResourceHandler> handler(ResourceRecord r) {
    return registry.handler(r.type());
  }

  static ProgressEvent noHandler(ResourceRecord r) {
    return ProgressEvent.failed(ErrorCode.INVALID_REQUEST, "No provider handles resource type " + r.type());
  }

  /**
   * Calls the handler operation the request names and checks its answer against the handler
   * contract: a read answers found (with the physical id) or failed, never "in progress" — an
   * answer that breaks the contract is reported as a defect of the handler, never taken as
   * "deleted" or "found".
   */
  ProgressEvent call(ResourceHandler handler, ResourceRequest request) {
    ProgressEvent e = invoke(() -> switch (request.action()) {
      case CREATE -> handler.create(request);
      case UPDATE -> handler.update(request);
      case DELETE -> handler.delete(request);
      case READ -> handler.read(request);
      case RETAG, RELEASE -> handler.retag(request);
    });
    if (request.action() == ResourceRequest.Action.READ) {
      if (e instanceof ProgressEvent.InProgress) {
        return defect(request, "its read answered IN_PROGRESS; a read must answer at once with the resource found"
            + " (and its physical id) or failed (NOT_FOUND when there is none)");
      }
      if (e instanceof ProgressEvent.Success s && (s.physicalId() == null || s.physicalId().isBlank())) {
        return defect(request, "its read answered SUCCESS without a physical id");
      }
    }
    return e;
  }

  /** True for an answer that leaves the row as it is, due again after the answer's delay (no answer, no lookup yet). */
  static boolean keepsState(ProgressEvent.InProgress p) {
    return p == UNANSWERED || p == NOT_YET_KNOWN;
  }

  /**
   * Looks up a resource whose create's outcome is unknown ({@code request} is a READ): the handler's answer, or
   * {@link #NOT_YET_KNOWN} while it cannot tell yet.
   */
  ProgressEvent lookup(ResourceHandler handler, ResourceRequest request) {
    ProgressEvent e = call(handler, request);
    return e instanceof ProgressEvent.Failed f && f.code() == ErrorCode.NOT_STABILIZED ? NOT_YET_KNOWN : e;
  }

  private static ProgressEvent defect(ResourceRequest request, String what) {
    LOG.warn("defect in the handler of {}: {}", request.type(), what);
    return ProgressEvent.failed(ErrorCode.GENERAL_SERVICE_EXCEPTION, "Defect in the handler of " + request.type()
        + " (" + request.logicalId() + "): " + what + "; the resource's state is unknown, so nothing was assumed"
        + " deleted or found");
  }

  /** One call, counted; an exception or a missing answer is a failure of the handler. */
  private ProgressEvent invoke(Supplier<ProgressEvent> call) {
    counters.handlerCalls.increment();
    try {
      ProgressEvent e = call.get();
      return e == null ? ProgressEvent.failed(ErrorCode.GENERAL_SERVICE_EXCEPTION, "the handler returned nothing") : e;
    } catch (RuntimeException e) {
      LOG.debug("handler call failed", e);
      return ProgressEvent.failed(ErrorCode.GENERAL_SERVICE_EXCEPTION,
          "Handler error: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
  }

  /** Runs the calls in parallel on virtual threads; a call that does not answer in time counts as unknown. */
  List<ProgressEvent> callAll(List<ResourceRecord> rs, Function<ResourceRecord, ProgressEvent> call) {
    if (rs.size() == 1) {
      return List.of(call.apply(rs.get(0)));
    }
    List<ProgressEvent> out = new ArrayList<>(rs.size());
    ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
    try {
      List<Future<ProgressEvent>> futures = new ArrayList<>();
      for (ResourceRecord r : rs) {
        futures.add(exec.submit(() -> call.apply(r)));
      }
      long deadline = System.nanoTime() + HANDLER_CALL_TIMEOUT.toNanos();
      for (Future<ProgressEvent> f : futures) {
        try {
          out.add(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
          f.cancel(true);
          out.add(UNANSWERED);
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof Error err) {
            throw err;
          }
          out.add(ProgressEvent.failed(ErrorCode.GENERAL_SERVICE_EXCEPTION, "Handler error: " + e.getCause()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          out.add(UNANSWERED);
        }
      }
    } finally {
      exec.shutdownNow();
    }
    return out;
  }
}
