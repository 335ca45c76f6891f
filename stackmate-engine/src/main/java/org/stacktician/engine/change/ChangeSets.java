package org.stacktician.engine.change;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.stacktician.engine.StackOperationException;
import org.stacktician.engine.StackValidationException;
import org.stacktician.engine.stack.CurrentRows;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.state.StateStore;
import org.stacktician.template.StackContext;
import org.stacktician.template.TemplateError;

/**
 * A stack's stored change sets, as CloudFormation's CreateChangeSet, DescribeChangeSet,
 * ListChangeSets and DeleteChangeSet: made with {@link ChangeSetCalculator} (no cloud call) and
 * kept until deleted; reads give each one's execution status as it is now (OBSOLETE once another
 * operation ran on the stack).
 */
public final class ChangeSets {
  private static final Pattern NAME = Pattern.compile("[A-Za-z][-A-Za-z0-9]{0,127}");

  private final StateStore stacks;
  private final ChangeSetStore changeSets;

  public ChangeSets(StateStore stacks, ChangeSetStore changeSets) {
    this.stacks = Objects.requireNonNull(stacks, "stacks");
    this.changeSets = Objects.requireNonNull(changeSets, "changeSets");
  }

  /**
   * What create-change-set asks for.
   *
   * @param templateUrl where the new template was read from (a nested stack's relative TemplateURL resolves against
   *     it); null with use-previous-template
   */
  public record Request(String stackName, String changeSetName, UpdateRequest update, String templateUrl,
      String description) {
    public Request {
      Objects.requireNonNull(stackName, "stackName");
      Objects.requireNonNull(changeSetName, "changeSetName");
      Objects.requireNonNull(update, "update");
    }
  }

  /**
   * Computes and stores a change set: CREATE_COMPLETE and AVAILABLE, or FAILED (UNAVAILABLE) with
   * CloudFormation's reason when it would change nothing.
   *
   * @param context the stack's pseudo parameters and exports, for planning both templates
   * @throws StackOperationException when the stack does not exist or cannot be updated now, or the name is taken
   * @throws StackValidationException when the name, the template or the parameter values are invalid
   */
  public ChangeSetRecord create(Request request, ChangeSetCalculator calculator,
      java.util.function.Function<StackRecord, StackContext> context, Instant now) {
    if (!NAME.matcher(request.changeSetName()).matches()) {
      throw new StackValidationException(List.of(TemplateError.of("ChangeSetName", "'" + request.changeSetName()
          + "' is not a valid change set name: it must start with a letter and contain only letters, digits and"
          + " hyphens (at most 128 characters)")));
    }
    StackRecord stack = stack(request.stackName());
    if (!stack.status().succeeded()) {
      throw new StackOperationException("Stack:" + stack.stackId() + " is in " + stack.status()
          + " state and can not be updated.");
    }
    if (changeSets.find(stack.stackId(), request.changeSetName()).isPresent()) {
      throw new StackOperationException("ChangeSet [" + request.changeSetName() + "] already exists and cannot be"
          + " created again; delete it first (delete-change-set) or choose another name");
    }
    ChangeSetResult result = calculator.compute(
        StackSnapshot.of(stack, CurrentRows.of(stack, stacks.resources(stack.stackId()))),
        request.update(), context.apply(stack));
    if (result instanceof ChangeSetResult.Rejected rejected) {
      throw new StackValidationException(rejected.errors());
    }
    ChangeSet changeSet = ((ChangeSetResult.Computed) result).changeSet();
    boolean none = changeSet.noUpdates();
    String id = stack.stackId().replaceFirst(":stack/.*$", ":changeSet/" + request.changeSetName() + "/"
        + UUID.randomUUID());
    ChangeSetRecord record = new ChangeSetRecord(id, request.changeSetName(), stack.stackId(), stack.stackName(),
        request.description(), none ? ChangeSetRecord.Status.FAILED : ChangeSetRecord.Status.CREATE_COMPLETE,
        none ? ChangeSetRecord.NO_CHANGES : null, none ? ExecutionStatus.UNAVAILABLE : ExecutionStatus.AVAILABLE,
        changeSet, request.update().usePreviousTemplate() ? stack.templateUrl() : request.templateUrl(), stack.operationId(),
        now);
    changeSets.insert(record);
    return record;
  }

  /**
   * A change set of a stack, its execution status as it is now.
   *
   * @throws StackOperationException when the stack or the change set does not exist
   */
  public ChangeSetRecord describe(String stackName, String changeSetName) {
    StackRecord stack = stack(stackName);
    return current(changeSets.find(stack.stackId(), changeSetName)
        .orElseThrow(() -> new StackOperationException("ChangeSet [" + changeSetName + "] does not exist for stack "
            + stack.stackName())), stack);
  }

  /** The change sets of a stack, oldest first, each one's execution status as it is now. */
  public List<ChangeSetRecord> list(String stackName) {
    StackRecord stack = stack(stackName);
    return changeSets.list(stack.stackId()).stream().map(cs -> current(cs, stack)).toList();
  }

  /**
   * Deletes a change set (not while it is being executed).
   *
   * @throws StackOperationException when it does not exist or is being executed
   */
  public ChangeSetRecord delete(String stackName, String changeSetName) {
    ChangeSetRecord cs = describe(stackName, changeSetName);
    if (cs.executionStatus() == ExecutionStatus.EXECUTE_IN_PROGRESS) {
      throw new StackOperationException("ChangeSet [" + cs.changeSetName() + "] is being executed (its stack is "
          + "updating) and cannot be deleted now; delete it once the update has ended");
    }
    changeSets.delete(cs.changeSetId());
    return cs;
  }

  /**
   * The change set to execute, checked as CloudFormation checks ExecuteChangeSet.
   *
   * @throws StackOperationException when it does not exist or its execution status is not AVAILABLE
   */
  public ChangeSetRecord executable(String stackName, String changeSetName) {
    ChangeSetRecord cs = describe(stackName, changeSetName);
    if (cs.executionStatus() != ExecutionStatus.AVAILABLE) {
      throw new StackOperationException("ChangeSet [" + cs.changeSetName() + "] cannot be executed in its current"
          + " execution status of [" + cs.executionStatus() + "]" + switch (cs.executionStatus()) {
            case OBSOLETE -> ": the stack was updated since it was made; create a new change set";
            case UNAVAILABLE -> cs.status() == ChangeSetRecord.Status.FAILED ? ": " + cs.statusReason()
                : ": an operation is running on the stack";
            default -> "";
          });
    }
    return cs;
  }

  /**
   * Records that a change set's execution is starting, before its stack's update starts.
   *
   * @throws StackOperationException when another execution of it started first
   */
  public void executionStarting(ChangeSetRecord cs) {
    if (!changeSets.setExecutionStatus(cs.changeSetId(), ExecutionStatus.AVAILABLE,
        ExecutionStatus.EXECUTE_IN_PROGRESS)) {
      throw new StackOperationException("ChangeSet [" + cs.changeSetName() + "] is already being executed");
    }
  }

  /** Makes a change set available again when its stack's update was refused before it started. */
  public void executionRefused(ChangeSetRecord cs) {
    changeSets.setExecutionStatus(cs.changeSetId(), ExecutionStatus.EXECUTE_IN_PROGRESS, ExecutionStatus.AVAILABLE);
  }

  /** Records how the executions of a stack's change sets ended, once its operation has ended. */
  public void settled(StackRecord stack) {
    for (ChangeSetRecord cs : changeSets.list(stack.stackId())) {
      if (cs.executionStatus() == ExecutionStatus.EXECUTE_IN_PROGRESS) {
        ExecutionStatus now = cs.executionStatusNow(stack);
        if (now != ExecutionStatus.EXECUTE_IN_PROGRESS) {
          changeSets.setExecutionStatus(cs.changeSetId(), ExecutionStatus.EXECUTE_IN_PROGRESS, now);
        }
      }
    }
  }

  /** A stack that is not deleted, by name or id. */
  private StackRecord stack(String nameOrId) {
    return stacks.findStack(nameOrId).filter(s -> s.status() != StackStatus.DELETE_COMPLETE)
        .orElseThrow(() -> new StackOperationException("Stack with id " + nameOrId + " does not exist"));
  }

  private static ChangeSetRecord current(ChangeSetRecord cs, StackRecord stack) {
    return cs.withExecutionStatus(cs.executionStatusNow(stack));
  }
}
