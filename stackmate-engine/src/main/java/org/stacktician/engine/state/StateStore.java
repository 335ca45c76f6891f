package org.stacktician.engine.state;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.StackEvent;
import org.stacktician.engine.stack.StackRecord;

/**
 * Where the engine keeps every stack, resource, event, export and signal. The engine writes every
 * step here before it waits, so that any process can continue a stack after a crash. The CLI uses
 * an H2 file; the server uses H2 or PostgreSQL through the same implementation.
 */
public interface StateStore {

  /**
   * Records a new stack with its planned resources and first event, atomically.
   *
   * @throws StackAlreadyExistsException when a stack of that name exists in the stack's scope and is not deleted
   */
  void createStack(StackRecord stack, Collection<ResourceRecord> resources, StackEvent firstEvent);

  /** A stack by id (of any scope), or by name among the default scope's stacks that are not deleted. */
  Optional<StackRecord> findStack(String nameOrId);

  /** A stack of the scope by id, or by name among the scope's stacks that are not deleted. */
  Optional<StackRecord> findStack(String scope, String nameOrId);

  /** Turns a stack's termination protection on or off (nothing else of the stack changes). */
  void setTerminationProtection(String stackId, boolean enabled);

  /** Every stack, deleted ones included, newest first. */
  List<StackRecord> listStacks();

  /** The stacks whose parent is the given stack (nested stacks). */
  List<StackRecord> childStacks(String parentStackId);

  /** The resources of a stack in template order, not-yet-started ones included. */
  List<ResourceRecord> resources(String stackId);

  /** Applies one step's changes (stack, resources, events) in a single transaction. */
  void commit(Changes changes);

  /** The events of a stack after the given sequence number, oldest first. */
  List<StackEvent> events(String stackId, long afterSequence);

  /** The value of an export of the scope's stacks, with the stack that exports it. */
  Optional<ExportRecord> findExport(String scope, String exportName);

  /** The exports of the scope's stacks. */
  List<ExportRecord> listExports(String scope);

  /** Records the names a stack imports (Fn::ImportValue), so that their exporters cannot be deleted. */
  void recordImports(String stackId, Set<String> exportNames);

  /** The scope's live stacks (not deleted) that import the given export. */
  List<String> importingStackNames(String scope, String exportName);

  /** The export names a stack imports. */
  Set<String> imports(String stackId);

  /** A stored template body by name (for nested stacks' TemplateURL {@code stored:NAME}). */
  Optional<String> storedTemplate(String name);

  /** Stores (or replaces) a named template body. */
  void storeTemplate(String name, String body);

  /**
   * Records a signal (a wait-condition signal or a custom-resource response); a repeated unique id
   * replaces. Stores nothing when the handle already holds {@code limit} other ids, or when the
   * stack has been deleted: that check holds the stack's row, so a signal racing the stack's final
   * delete is either refused or removed by it, never left behind.
   */
  SignalOutcome recordSignal(String stackId, String handleId, String uniqueId, String bodyJson, int limit);

  /** What {@link #recordSignal} did. */
  enum SignalOutcome {
    RECORDED,
    /** The handle already holds as many signals as it may. */
    HANDLE_FULL,
    /** The stack was deleted (DELETE_COMPLETE) before the signal could be kept. */
    STACK_DELETED
  }

  /** The signals recorded for a handle, oldest first. */
  List<SignalRecord> signals(String stackId, String handleId);

  /** Drops the signals of a deleted stack. */
  void deleteSignals(String stackId);

  /** This store's secret for signing callback URLs, made on first use and kept. */
  byte[] signingKey();

  /**
   * One transaction's worth of changes; any part may be empty. Exports are added in their stack's scope.
   *
   * @param guard when set, the changes were made for that operation of that stack: the commit
   *     throws {@link StaleOperationException} and changes nothing when another operation has
   *     started on the stack since
   * @param replaceExports when true, the stack's exports are replaced by {@code exportsToAdd} (an update's new
   *     outputs); imports and signals stay
   */
  record Changes(StackRecord stack, List<ResourceRecord> resources, List<StackEvent> events,
      List<ExportRecord> exportsToAdd, String removeExportsOfStack, OperationGuard guard, boolean replaceExports) {
    public Changes {
      resources = resources == null ? List.of() : List.copyOf(resources);
      events = events == null ? List.of() : List.copyOf(events);
      exportsToAdd = exportsToAdd == null ? List.of() : List.copyOf(exportsToAdd);
    }

    public Changes(StackRecord stack, List<ResourceRecord> resources, List<StackEvent> events,
        List<ExportRecord> exportsToAdd, String removeExportsOfStack) {
      this(stack, resources, events, exportsToAdd, removeExportsOfStack, null, false);
    }

    public static Changes of(StackRecord stack, List<ResourceRecord> resources, List<StackEvent> events) {
      return new Changes(stack, resources, events, List.of(), null, null, false);
    }

    /** These changes, committed only while {@code operationId} is the stack's running operation. */
    public Changes forOperation(String stackId, String operationId) {
      return new Changes(stack, resources, events, exportsToAdd, removeExportsOfStack,
          new OperationGuard(stackId, operationId), replaceExports);
    }

    /** These changes, the stack's exports replaced by {@code exportsToAdd} (its stack must be set). */
    public Changes replacingExports() {
      java.util.Objects.requireNonNull(stack, "the stack whose exports are replaced");
      return new Changes(stack, resources, events, exportsToAdd, removeExportsOfStack, guard, true);
    }

    public boolean isEmpty() {
      return stack == null && resources.isEmpty() && events.isEmpty() && exportsToAdd.isEmpty()
          && removeExportsOfStack == null && !replaceExports;
    }
  }

  /** The operation of a stack that a commit's changes were made for. */
  record OperationGuard(String stackId, String operationId) {}

  /** An exported output value. */
  record ExportRecord(String exportName, String value, String stackId, String stackName) {}

  /** A stored signal. */
  record SignalRecord(String uniqueId, String bodyJson, java.time.Instant receivedAt) {}
}
