package org.stacktician.cli.stack;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.stacktician.cli.ExitCodes;
import org.stacktician.engine.StackEngine;
import org.stacktician.engine.cloudstack.TaggedResources;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stackmate delete-stack}: delete a stack (or retry a failed delete) and watch its events. */
@Command(name = "delete-stack", mixinStandardHelpOptions = true,
    description = {"Delete a stack's resources in reverse dependency order (DeletionPolicy Retain keeps a resource: "
        + "DELETE_SKIPPED) and stream the events. A DELETE_FAILED or ROLLBACK_FAILED stack may be deleted again, "
        + "with --retain-resources for what cannot be deleted.",
        "With --by-tags, finds the resources of a stack that has no record here by their tag "
        + "stacktician:stack-name and deletes them; when several stacks of that name left resources (one "
        + "retained them, say), --stack-id chooses whose.",
        "Exit 0 when the stack ends DELETE_COMPLETE (also when it already was, or when a re-run finds the delete "
        + "it resumed done) and when no stack of that name or id exists (as CloudFormation's DeleteStack)."})
public final class DeleteStackCommand extends CloudCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The stack's name or id.")
  String stack;

  @Option(names = "--by-tags", description = "Find the stack's resources in the cloud by their tags (no record needed).")
  boolean byTags;

  @Option(names = "--stack-id", paramLabel = "ID",
      description = "With --by-tags: only the resources tagged with this stack id.")
  String stackId;

  @Option(names = "--retain-resources", split = ",", paramLabel = "LOGICAL-ID",
      description = "For a DELETE_FAILED stack only (as CloudFormation): leave these resources in the cloud "
          + "(DELETE_SKIPPED) and delete the rest, e.g. a resource whose delete keeps failing.")
  List<String> retainResources = new ArrayList<>();

  @Override
  Integer checkInput(PrintWriter out, PrintWriter err) {
    if (byTags && !retainResources.isEmpty()) {
      err.println("error: --retain-resources names resources of a recorded DELETE_FAILED stack; it does not go with"
          + " --by-tags");
      err.flush();
      return ExitCodes.FAILED;
    }
    if (stackId != null && !byTags) {
      err.println("error: --stack-id chooses among resources found --by-tags; give both, or delete by name or id");
      err.flush();
      return ExitCodes.FAILED;
    }
    return null;
  }

  @Override
  int run(LocalStackmate local, PrintWriter out, PrintWriter err) throws InterruptedException {
    StackEngine engine = local.engine();
    String target = stack;
    if (!byTags) {
      var current = engine.describeStack(stack);
      if (current.isEmpty()) {
        // As CloudFormation's DeleteStack: deleting what is not there succeeds, so scripts may re-run it.
        err.println("Stack " + stack + " does not exist here (or is already deleted); nothing to delete.");
        err.flush();
        return ExitCodes.OK;
      }
      target = current.get().stackId(); // by id from here: once deleted, the name no longer finds it
      engine.requireThisCloud(current.get()); // before waiting on an operation only its cloud's engine runs
      if (current.get().status().inProgress()) {
        // Left in progress by a process that stopped (this engine resumed it) or run by another one.
        out.println("Stack " + current.get().stackName() + " is " + current.get().status()
            + "; waiting for that operation to end before deleting");
        StackRecord ended = StackWatch.watch(local, current.get(), out);
        out.println();
        if (ended.status() == StackStatus.DELETE_COMPLETE) {
          return ExitCodes.OK; // a delete an earlier run began, now done
        }
      }
    }
    StackRecord started = byTags ? deleteByTags(local, err)
        : engine.deleteStack(target, new LinkedHashSet<>(retainResources));
    if (started == null) {
      return ExitCodes.FAILED;
    }
    if (started.status() == StackStatus.DELETE_COMPLETE) {
      out.println("Stack " + started.stackName() + " is already deleted.");
      out.flush();
      return ExitCodes.OK;
    }
    return follow(local, started, out, "Deleting stack " + started.stackName() + " (" + local.cloudLabel() + ")",
        StackStatus.DELETE_COMPLETE);
  }

  private StackRecord deleteByTags(LocalStackmate local, PrintWriter err) {
    List<StackEngine.FoundResource> found = new ArrayList<>();
    for (TaggedResources.TaggedResource t : TaggedResources.findByStackName(local.client(), stack)) {
      if (t.type() == null) {
        err.println("warning: " + t.resourceType() + " " + t.resourceId() + " is tagged for stack " + stack
            + " but has no stacktician:type tag; delete it by hand");
        continue;
      }
      found.add(new StackEngine.FoundResource(t.stackId(), t.logicalId(), t.type(), t.resourceId(), t.resourceType(),
          t.stackName(), t.rootStackId(), t.deletionPolicy()));
    }
    if (stackId != null) {
      found.removeIf(f -> !stackId.equals(f.rootOrOwnStackId()));
    }
    if (found.isEmpty()) {
      err.println("error: no resource in the cloud is tagged stacktician:stack-name=" + stack
          + (stackId == null ? "" : " and stacktician:stack-id=" + stackId));
      err.flush();
      return null;
    }
    // A nested stack's resources count with their root stack's.
    Map<String, Long> byStack = found.stream().collect(Collectors.groupingBy(
        f -> String.valueOf(f.rootOrOwnStackId()), TreeMap::new, Collectors.counting()));
    if (byStack.size() > 1) {
      err.println("error: the resources tagged stacktician:stack-name=" + stack + " belong to " + byStack.size()
          + " stacks of that name (a deleted one may have retained some); choose one with --stack-id:");
      byStack.forEach((id, n) -> err.println("  " + id + "  (" + n + " resource" + (n == 1 ? "" : "s") + ")"));
      err.flush();
      return null;
    }
    return local.engine().deleteFoundResources(stack, found);
  }
}
