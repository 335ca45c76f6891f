package org.stacktician.engine.execution;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.stacktician.engine.provider.ErrorCode;
import org.stacktician.engine.provider.ProgressEvent;
import org.stacktician.engine.provider.ResourceHandler;
import org.stacktician.engine.provider.ResourceRequest;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.ResourceStatus;

/**
 * The reverse walk: deletes every resource the target template version does not have (towards
 * nothing: every resource), each once nothing that still needs it exists; honours DeletionPolicy
 * Retain (and, for a resource an update replaced, UpdateReplacePolicy), taking from a retained resource the tags that
 * make it the stack's (a {@code RELEASE}: it is no longer the stack's, so {@code delete-stack --by-tags} leaves it),
 * looks up a resource whose create's outcome is unknown before deleting it, and tries a delete again through the
 * cloud's hiccups for a while.
 */
final class CleanupWalk implements ResourceWalk {
  private final StackExecution exec;
  /** The version kept; null: none (delete-stack, a create's rollback). */
  private final Integer keep;
  /** True when this cleanup rolls back a create or an update (RetainExceptOnCreate then deletes what it made). */
  private final boolean rollback;
  private final Instant phaseStart;
  /** Physical ids found by lookups during this round's parallel calls, by row id. */
  private final Map<String, ResourceRecord> found = new ConcurrentHashMap<>();

  CleanupWalk(StackExecution exec, Integer keep, boolean rollback) {
    this.exec = exec;
    this.keep = keep;
    this.rollback = rollback;
    this.phaseStart = exec.stack.operationStarted();
  }

  /** The rows this cleanup removes. */
  private List<ResourceRecord> rows() {
    return exec.resources.values().stream().filter(r -> keep == null || r.templateVersion() != keep).toList();
  }

  @Override
  public java.util.Set<ResourceStatus> inProgress() {
    return java.util.EnumSet.of(ResourceStatus.DELETE_IN_PROGRESS);
  }

  @Override
  public void sweep(Instant now) {
    for (ResourceRecord r : rows()) {
      if (r.status() == ResourceStatus.CREATE_IN_PROGRESS || r.status() == ResourceStatus.UPDATE_IN_PROGRESS) {
        // An operation that was still running when the stack failed (e.g. after a crash or a cancel): a
        // create's outcome is unknown, so the delete looks the resource up first.
        boolean created = r.status() == ResourceStatus.CREATE_IN_PROGRESS;
        exec.finish(r.toBuilder().status(created ? ResourceStatus.CREATE_FAILED : ResourceStatus.UPDATE_FAILED)
            .statusReason(r.creating() ? "Resource creation cancelled" : "Resource update cancelled"), now);
      }
    }
  }

  /**
   * True when the kept version has a resource of this row's logical id: an update replaced this one, so its
   * UpdateReplacePolicy applies rather than its DeletionPolicy (not when rolling back, which removes what the failed
   * update made).
   */
  private boolean replaced(ResourceRecord r) {
    return keep != null && !rollback && exec.resources.values().stream().anyMatch(o -> o != r
        && o.templateVersion() == keep && o.logicalId().equals(r.logicalId()) && o.status() != null
        && !o.status().gone());
  }

  /** True when the row's resource stays in the cloud (its DeletionPolicy, or UpdateReplacePolicy once replaced). */
  private boolean retained(ResourceRecord r) {
    return replaced(r) ? "Retain".equals(r.updateReplacePolicy()) : r.retainedOn(rollback);
  }

  /** The reason of a retained row's DELETE_SKIPPED, ending with what became of its stack tags. */
  private String retainedReason(ResourceRecord r, String tags) {
    return "Retained (" + (replaced(r) ? "UpdateReplacePolicy" : "DeletionPolicy") + ": Retain); " + tags;
  }

  private static final String UNTAGGED = "the resource still exists in the cloud, no longer tagged as the stack's";

  private static String stillTagged(String why) {
    return "the resource still exists in the cloud; its stack tags could not be removed (" + why
        + "), so delete-stack --by-tags would still find it";
  }

  @Override
  public ResourceRecord.Builder timedOut(ResourceRecord r, String timeout) {
    if (retained(r)) {
      return r.toBuilder().status(ResourceStatus.DELETE_SKIPPED).statusReason(retainedReason(r,
          stillTagged("timed out after " + timeout))).callbackContext(null);
    }
    return r.toBuilder().status(ResourceStatus.DELETE_FAILED).statusReason("Resource deletion timed out after " + timeout);
  }

  @Override
  public boolean mayStart() {
    return true;
  }

  @Override
  public List<ResourceRecord> ready() {
    return rows().stream().filter(r -> needsDelete(r) && !neededByAnother(r)).toList();
  }

  @Override
  public Optional<Settled> settleWithoutCall(ResourceRecord r) {
    if (r.neverMade()) {
      return Optional.of(Settled.withEvent(r.toBuilder().status(ResourceStatus.DELETE_COMPLETE)
          .statusReason("Nothing to delete: the resource was never created")));
    }
    return Optional.empty();
  }

  @Override
  public Optional<ResourceRecord.Builder> begin(ResourceRecord r, Instant now) {
    if (retained(r)) {
      return Optional.of(r.toBuilder().status(ResourceStatus.DELETE_IN_PROGRESS).statusReason("Retaining ("
          + (replaced(r) ? "UpdateReplacePolicy" : "DeletionPolicy") + ": Retain): removing its stack tags")
          .callbackContext(r.physicalId() == null ? r.callbackContext() : null));
    }
    // With no physical id the delete first looks the resource up with the create's last callback
    // context (what its job or service reported), so that context stays until the lookup.
    return Optional.of(r.toBuilder().status(ResourceStatus.DELETE_IN_PROGRESS).statusReason(null)
        .callbackContext(r.physicalId() == null ? r.callbackContext() : null));
  }

  @Override
  public ProgressEvent call(ResourceRecord r) {
    ResourceRequest.Action action = retained(r) ? ResourceRequest.Action.RELEASE : ResourceRequest.Action.DELETE;
    String policy = replaced(r) ? r.updateReplacePolicy() : r.deletionPolicy();
    Optional<ResourceHandler> handler = exec.calls.handler(r).map(h -> org.stacktician.engine.cloudstack
        .SnapshotBeforeDelete.forPolicy(policy, exec.registry.canonical(r.type()), h));
    if (handler.isEmpty()) {
      return HandlerCalls.noHandler(r);
    }
    if (r.physicalId() == null) {
      // The create's outcome is unknown (time-out, crash, a failed job that may have left
      // something behind): find the resource before deleting it. The create's last callback
      // context goes along, so a provider can use what its job reported (e.g. the resource id).
      ProgressEvent lookup = exec.calls.lookup(handler.get(),
          exec.request(r, r.callbackContext(), ResourceRequest.Action.READ));
      if (lookup == HandlerCalls.NOT_YET_KNOWN) {
        return lookup; // a create job that may have made it still runs: deleting "nothing" now could leak it
      }
      if (lookup instanceof ProgressEvent.Failed f) {
        return f.code() == ErrorCode.NOT_FOUND ? ProgressEvent.success(null) : f;
      }
      // The contract (checked by HandlerCalls) leaves a found resource with its physical id here.
      ProgressEvent.Success s = (ProgressEvent.Success) lookup;
      ResourceRecord withId = r.toBuilder().physicalId(s.physicalId()).attributes(s.attributes()).build();
      found.put(r.resourceId(), withId);
      return exec.calls.call(handler.get(), exec.request(withId, null, action));
    }
    return exec.calls.call(handler.get(), exec.request(r, r.callbackContext(), action));
  }

  /** Failures of a delete that another try may not meet: the cloud's own error, no answer, still in use. */
  private static boolean mayPass(ErrorCode code) {
    return code == ErrorCode.SERVICE_INTERNAL_ERROR || code == ErrorCode.NETWORK_FAILURE
        || code == ErrorCode.RESOURCE_CONFLICT || code == ErrorCode.TIMEOUT;
  }

  @Override
  public void apply(ResourceRecord r, ProgressEvent result, Instant now) {
    ResourceRecord current = Optional.ofNullable(found.remove(r.resourceId())).orElse(r);
    if (retained(r)) {
      released(current, result, now);
      return;
    }
    switch (result) {
      case ProgressEvent.Success s -> {
        exec.stepper.counters.resourcesDeleted.increment();
        exec.finish(current.toBuilder().status(ResourceStatus.DELETE_COMPLETE)
            .statusReason(org.stacktician.engine.cloudstack.SnapshotBeforeDelete.reason(s))
            .callbackContext(null).nextCallAt(null), now);
      }
      case ProgressEvent.InProgress p when HandlerCalls.keepsState(p) ->
          exec.quiet(current.toBuilder().nextCallAt(now.plus(p.delay())).updatedAt(now).build());
      case ProgressEvent.InProgress p -> exec.quiet(current.toBuilder().callbackContext(p.callbackContext())
          .nextCallAt(now.plus(p.delay())).updatedAt(now).build());
      case ProgressEvent.Failed f -> {
        if (f.code() == ErrorCode.NOT_FOUND) {
          exec.stepper.counters.resourcesDeleted.increment();
          exec.finish(current.toBuilder().status(ResourceStatus.DELETE_COMPLETE)
              .statusReason("Already gone: " + f.message()).nextCallAt(null), now);
        } else if (mayPass(f.code()) && current.operationStarted() != null
            && Duration.between(current.operationStarted(), now).compareTo(exec.stepper.options.deleteRetryWindow()) < 0) {
          // A stack should not be left half deleted for a hiccup: try again, pausing longer each time.
          long elapsedMillis = Duration.between(current.operationStarted(), now).toMillis();
          Duration pause = Duration.ofMillis(Math.clamp(elapsedMillis / 2, 1000L, 15_000L));
          StackExecution.log().info("{} of stack {}: delete failed ({}); trying again in {} ms", r.logicalId(),
              exec.stack.stackName(), f.message(), pause.toMillis());
          exec.quiet(current.toBuilder().statusReason("Trying again after: " + f.message()).callbackContext(null)
              .nextCallAt(now.plus(pause)).updatedAt(now).build());
        } else {
          exec.finish(current.toBuilder().status(ResourceStatus.DELETE_FAILED).statusReason(f.message())
              .nextCallAt(null), now);
        }
      }
    }
  }

  /**
   * Records a RELEASE's outcome: the resource stays either way (the policy says so); a failure to untag it (or nothing
   * found to untag) is said in its reason, never a failed delete.
   */
  private void released(ResourceRecord current, ProgressEvent result, Instant now) {
    switch (result) {
      case ProgressEvent.Success s -> exec.finish(current.toBuilder().status(ResourceStatus.DELETE_SKIPPED)
          .statusReason(retainedReason(current, UNTAGGED)).callbackContext(null).nextCallAt(null), now);
      case ProgressEvent.InProgress p when HandlerCalls.keepsState(p) ->
          exec.quiet(current.toBuilder().nextCallAt(now.plus(p.delay())).updatedAt(now).build());
      case ProgressEvent.InProgress p -> exec.quiet(current.toBuilder().callbackContext(p.callbackContext())
          .nextCallAt(now.plus(p.delay())).updatedAt(now).build());
      case ProgressEvent.Failed f -> exec.finish(current.toBuilder().status(ResourceStatus.DELETE_SKIPPED)
          .statusReason(retainedReason(current, f.code() == ErrorCode.NOT_FOUND
              ? "no resource of it was found in the cloud to untag" : stillTagged(f.message())))
          .callbackContext(null).nextCallAt(null), now);
    }
  }

  @Override
  public Result result(Instant now, Optional<Instant> next) {
    if (next.isPresent() || exec.heldBackByAccount || exec.overTime()) {
      return new Result.Running();
    }
    List<String> notDeleted = rows().stream()
        .filter(r -> needsDelete(r) || r.status() == ResourceStatus.DELETE_FAILED)
        .map(ResourceRecord::logicalId).toList();
    if (notDeleted.isEmpty()) {
      return new Result.Succeeded();
    }
    List<String> failedDeletes = rows().stream().filter(r -> r.status() == ResourceStatus.DELETE_FAILED)
        .map(ResourceRecord::logicalId).toList();
    return new Result.Failed("The following resource(s) failed to delete: "
        + (failedDeletes.isEmpty() ? notDeleted : failedDeletes) + ".");
  }

  /** True when the row still has to be deleted in this phase. */
  private boolean needsDelete(ResourceRecord r) {
    if (r.status() == null || r.status().gone() || r.status() == ResourceStatus.DELETE_IN_PROGRESS) {
      return false;
    }
    if (r.status() == ResourceStatus.DELETE_FAILED) {
      // A failure of an earlier delete operation is retried; one of this operation is final.
      return phaseStart != null && r.updatedAt() != null && r.updatedAt().isBefore(phaseStart);
    }
    return true;
  }

  /**
   * True while a row that still exists depends on the resource of {@code r}: it depends on {@code r}'s logical id and
   * that id's row it refers to is {@code r} (the row of that id of the latest version up to its own: a row
   * re-pointed to a replacement no longer needs the replaced one, one rolled back to an earlier version no longer
   * needs the update's replacement).
   */
  private boolean neededByAnother(ResourceRecord r) {
    for (ResourceRecord other : exec.resources.values()) {
      if (other != r && other.dependsOn().contains(r.logicalId()) && other.status() != null
          && !other.status().gone() && refersTo(other, r.logicalId()) == r) {
        return true;
      }
    }
    return false;
  }

  private ResourceRecord refersTo(ResourceRecord dependent, String logicalId) {
    ResourceRecord best = null;
    ResourceRecord earliest = null;
    for (ResourceRecord c : exec.resources.values()) {
      if (!c.logicalId().equals(logicalId) || c.status() == null || c.status().gone()) {
        continue;
      }
      if (c.templateVersion() <= dependent.templateVersion()
          && (best == null || c.templateVersion() > best.templateVersion())) {
        best = c;
      }
      if (earliest == null || c.templateVersion() < earliest.templateVersion()) {
        earliest = c;
      }
    }
    return best != null ? best : earliest;
  }
}
