package org.stacktician.cli;

import picocli.CommandLine.Command;

/** {@code stackmate}: the local engine's command line. Each subcommand lives in its feature's package. */
@Command(
    name = "stackmate",
    mixinStandardHelpOptions = true,
    version = "stackmate 0.1.0",
    description = "Run CloudFormation-style templates on Apache CloudStack.",
    subcommands = {
      // one line per subcommand; keep this list sorted by feature
      picocli.CommandLine.HelpCommand.class,
      org.stacktician.cli.demo.DemoCommand.class,
      org.stacktician.cli.stack.CreateStackCommand.class,
      org.stacktician.cli.stack.UpdateStackCommand.class,
      org.stacktician.cli.stack.ContinueUpdateRollbackCommand.class,
      org.stacktician.cli.stack.RollbackStackCommand.class,
      org.stacktician.cli.stack.CancelUpdateStackCommand.class,
      org.stacktician.cli.stack.DeleteStackCommand.class,
      org.stacktician.cli.stack.UpdateTerminationProtectionCommand.class,
      org.stacktician.cli.stack.CreateChangeSetCommand.class,
      org.stacktician.cli.stack.DescribeChangeSetCommand.class,
      org.stacktician.cli.stack.ListChangeSetsCommand.class,
      org.stacktician.cli.stack.DeleteChangeSetCommand.class,
      org.stacktician.cli.stack.ExecuteChangeSetCommand.class,
      org.stacktician.cli.stack.DetectStackDriftCommand.class,
      org.stacktician.cli.stack.WatchStackCommand.class,
      org.stacktician.cli.stack.DescribeStacksCommand.class,
      org.stacktician.cli.stack.DescribeStackEventsCommand.class,
      org.stacktician.cli.stack.DescribeStackResourcesCommand.class,
      org.stacktician.cli.stack.ListStacksCommand.class,
      org.stacktician.cli.stack.GetTemplateCommand.class,
      org.stacktician.cli.template.ValidateTemplateCommand.class,
      org.stacktician.cli.stack.PlanCommand.class,
      org.stacktician.cli.types.TypesCommand.class,
    })
public final class StackmateCommand {}
