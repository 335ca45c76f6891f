package org.stacktician.cli.stack;

import java.io.PrintWriter;
import org.stacktician.cli.ExitCodes;
import org.stacktician.engine.drift.DriftJson;
import org.stacktician.engine.drift.PropertyDifference;
import org.stacktician.engine.drift.ResourceDrift;
import org.stacktician.engine.drift.StackDrift;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code stackmate detect-stack-drift}: compare each resource in the cloud with its template. */
@Command(name = "detect-stack-drift", mixinStandardHelpOptions = true,
    description = {"Read each of a stack's resources back from the cloud and compare its properties with the "
        + "template's: the stack is IN_SYNC or DRIFTED; each resource IN_SYNC, MODIFIED (with its property "
        + "differences: ADD, REMOVE, NOT_EQUAL), DELETED, or NOT_CHECKED (its type cannot be read back). NoEcho "
        + "values are shown as ****. The result is kept as the stack's last detection.",
        "Exit 0 when the detection completed (drifted or not); 1 when it failed for a resource or the stack "
        + "cannot be checked now."})
public final class DetectStackDriftCommand extends CloudCommand {
  private static final String FORMAT = "  %-24s  %-34s  %s%n";

  @Parameters(index = "0", paramLabel = "NAME", description = "The stack's name or id.")
  String stackName;

  @Override
  int run(LocalStackmate local, PrintWriter out, PrintWriter err) {
    StackDrift drift = local.engine().detectStackDrift(stackName);
    if (output.json()) {
      StackViews.printJson(out, DriftJson.detection(drift));
    } else {
      text(out, drift);
      if (local.simulator() != null) {
        out.println("(" + local.cloudLabel() + ")");
      }
    }
    out.flush();
    if (drift.detectionStatus() == StackDrift.DetectionStatus.DETECTION_FAILED) {
      return StackViews.error(err, drift.detectionStatusReason());
    }
    return ExitCodes.OK;
  }

  private static void text(PrintWriter out, StackDrift drift) {
    out.println("Stack " + StackViews.text(drift.stackName()) + ": " + drift.stackDriftStatus() + " ("
        + drift.driftedStackResourceCount() + " of " + drift.resourceDrifts().size() + " resources drifted; "
        + drift.detectionStatus() + " at " + StackViews.time(drift.detectedAt()) + " UTC)");
    if (drift.resourceDrifts().isEmpty()) {
      return;
    }
    StackViews.row(out, FORMAT, "LogicalResourceId", "ResourceType", "StackResourceDriftStatus");
    for (ResourceDrift r : drift.resourceDrifts()) {
      StackViews.row(out, FORMAT, r.logicalResourceId(), r.resourceType(),
          r.status() + (r.reason() == null ? "" : " (" + r.reason() + ")"));
      for (PropertyDifference d : r.propertyDifferences()) {
        out.println("      " + StackViews.text(d.propertyPath()) + ": " + d.differenceType()
            + (d.expectedValue() == null ? "" : ", expected " + StackViews.text(d.expectedValue()))
            + (d.actualValue() == null ? "" : ", actual " + StackViews.text(d.actualValue())));
      }
    }
  }
}
