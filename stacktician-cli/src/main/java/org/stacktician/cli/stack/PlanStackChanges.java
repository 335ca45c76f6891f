package org.stacktician.cli.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.stacktician.cli.ExitCodes;
import org.stacktician.cli.template.ErrorReport;
import org.stacktician.cli.template.TemplateInput;
import org.stacktician.cli.types.CatalogOptions;
import org.stacktician.cloudstack.client.CloudStackException;
import org.stacktician.cloudstack.client.catalog.ResourceTypeCatalog;
import org.stacktician.engine.change.ChangeDetail;
import org.stacktician.engine.change.ChangeSet;
import org.stacktician.engine.change.ChangeSetCalculator;
import org.stacktician.engine.change.ChangeSetJson;
import org.stacktician.engine.change.ChangeSetResult;
import org.stacktician.engine.change.ResourceChange;
import org.stacktician.engine.change.StackSnapshot;
import org.stacktician.engine.change.UpdateRequest;
import org.stacktician.engine.provider.ProviderContext;
import org.stacktician.engine.provider.ResourceHandler;
import org.stacktician.engine.provider.UpdateRules;
import org.stacktician.engine.provider.registry.ProviderRegistry;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.template.LoadResult;
import org.stacktician.template.StackContext;
import org.stacktician.template.TemplateLoader;
import org.stacktician.template.rules.RuleChecker;
import org.stacktician.template.TemplateLimits;
import picocli.CommandLine;

/**
 * {@code stackmate plan --stack NAME}: the change set of updating a stack in the state directory
 * to a template file and parameter values, computed without any cloud call (CloudStack:: types'
 * update rules come from a listApis dump or a read-only listApis call).
 */
final class PlanStackChanges {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private static final int MAX_ID_WIDTH = 48;

  private PlanStackChanges() {}

  /** The options and inputs of one run; {@code templateFile} null keeps the stack's template. */
  record Input(String stackName, Path templateFile, Map<String, String> parameters, CatalogOptions catalog,
      java.nio.file.Path pluginsDir, boolean json) {}

  /** Prints the change set (text table or the AWS CLI's describe-change-set JSON) of a stack in {@code state}. */
  static int run(Input in, StackStore state, CommandLine commandLine) throws Exception {
    PrintWriter out = commandLine.getOut();
    PrintWriter err = commandLine.getErr();
    String body = null;
    try {
      if (in.templateFile() != null) {
        body = TemplateInput.read(in.templateFile(), TemplateLimits.defaults()).body();
      }
    } catch (TemplateInput.Unreadable e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return ExitCodes.FAILED;
    }
    ProviderContext.Builder context = ProviderContext.builder();
    if (in.catalog().given()) {
      try {
        context.resourceTypes(ResourceTypeCatalog.derive(in.catalog().load(commandLine)));
      } catch (CloudStackException | IllegalArgumentException | java.io.UncheckedIOException e) {
        err.println("error: " + e.getMessage());
        err.flush();
        return ExitCodes.FAILED;
      }
    }
    ProviderRegistry registry;
    try {
      registry = ProviderRegistry.load(context.build(),
          List.of(org.stacktician.engine.nested.NestedStackProvider.describing()), in.pluginsDir());
    } catch (org.stacktician.engine.provider.registry.PluginLoadException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return ExitCodes.FAILED;
    }
    Set<String> unknownCloudStackTypes = new TreeSet<>();
    ChangeSetCalculator calculator = new ChangeSetCalculator(type -> {
      Optional<ResourceHandler> handler = registry.handler(type);
      if (handler.isEmpty() && type.startsWith(ResourceTypeCatalog.PREFIX)) {
        unknownCloudStackTypes.add(type);
      }
      return handler.map(ResourceHandler::updateRules).orElse(UpdateRules.REPLACE_ALL);
    }, plan -> {
      if (!in.catalog().given()) {
        plan.resources().values().stream().filter(r -> r.included() && r.type().startsWith(ResourceTypeCatalog.PREFIX))
            .forEach(r -> unknownCloudStackTypes.add(r.type()));
      }
      return unknownCloudStackTypes.isEmpty() ? registry.check(plan) : List.of();
    });
    Map<String, UpdateRequest.ParameterValue> values = new LinkedHashMap<>();
    in.parameters().forEach((k, v) -> values.put(k, UpdateRequest.ParameterValue.parse(v)));
    ChangeSetResult result;
    StackRecord stack;
    Optional<StackRecord> found = state.find(in.stackName(), err);
    if (found.isEmpty()) {
      return ExitCodes.FAILED;
    }
    stack = found.get();
    StackSnapshot current = StackSnapshot.of(stack, state.store().resources(stack.stackId()));
    StackContext planning = StackContext.forPlanning(stack.stackName());
    StackContext ctx = new StackContext(stack.stackName(), stack.stackId(), planning.region(), planning.accountId(),
        planning.partition(), planning.urlSuffix(), List.of(), planning.stackMateApiUrl(), null, null);
    result = calculator.compute(current, new UpdateRequest(body, values), ctx);
    if (!unknownCloudStackTypes.isEmpty() && !in.catalog().given()) {
      err.println("error: stack " + stack.stackName() + " uses CloudStack:: types " + unknownCloudStackTypes
          + ": give --catalog FILE (a listApis dump) or --endpoint URL with --api-key and --secret-key, so that "
          + "their update behaviours are known (only listApis is read)");
      err.flush();
      return ExitCodes.FAILED;
    }
    if (result instanceof ChangeSetResult.Rejected rejected) {
      if (in.json()) {
        ObjectNode root = JSON.createObjectNode();
        root.put("valid", false);
        root.set("errors", ErrorReport.json(rejected.errors()));
        out.println(JSON.writeValueAsString(root));
      } else {
        err.print(ErrorReport.text(in.templateFile() == null ? "current template of " + stack.stackName()
            : in.templateFile().toString(), rejected.errors()));
      }
      out.flush();
      err.flush();
      return ExitCodes.FAILED;
    }
    ChangeSet changeSet = ((ChangeSetResult.Computed) result).changeSet();
    // The preview asks the cloud nothing but listApis: the rules that need the cloud are decided at update.
    if (TemplateLoader.load(changeSet.templateBody(), stack.stackName()) instanceof LoadResult.Loaded loaded) {
      ErrorReport.warnings(err, in.templateFile() == null ? "current template of " + stack.stackName()
          : in.templateFile().toString(), RuleChecker.needingTheCloud(loaded.template()));
    }
    if (in.json()) {
      ObjectNode root = JSON.createObjectNode();
      root.put("StackId", stack.stackId());
      root.put("StackName", stack.stackName());
      root.set("Parameters", ChangeSetJson.parameters(changeSet));
      root.set("Changes", ChangeSetJson.changes(changeSet));
      if (changeSet.noUpdates()) {
        root.put("StatusReason", ChangeSet.NO_UPDATES);
      }
      out.println(JSON.writeValueAsString(root));
    } else {
      out.print(text(stack, changeSet));
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** A table of the changes, each followed by its details. */
  static String text(StackRecord stack, ChangeSet changeSet) {
    String nl = System.lineSeparator();
    StringBuilder sb = new StringBuilder();
    sb.append("Changes to stack ").append(stack.stackName()).append(':').append(nl);
    if (!changeSet.changes().isEmpty()) {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"Action", "LogicalResourceId", "PhysicalResourceId", "ResourceType", "Replacement",
          "Scope"});
      for (ResourceChange c : changeSet.changes()) {
        rows.add(new String[] {c.action().awsName(), c.logicalResourceId(), shortened(c.physicalResourceId()),
            c.resourceType(), c.replacement() == null ? "-" : c.replacement().awsName(),
            c.scope().isEmpty() ? "-" : String.join(",", c.scope().stream().map(a -> a.awsName()).toList())});
      }
      int[] widths = new int[6];
      for (String[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          widths[i] = Math.max(widths[i], row[i].length());
        }
      }
      for (int r = 0; r < rows.size(); r++) {
        StringBuilder line = new StringBuilder("  ");
        for (int i = 0; i < 6; i++) {
          line.append(String.format("%-" + (widths[i] + 2) + "s", rows.get(r)[i]));
        }
        sb.append(line.toString().stripTrailing()).append(nl);
        if (r > 0) {
          for (ChangeDetail d : changeSet.changes().get(r - 1).details()) {
            sb.append("      ").append(detail(d)).append(nl);
          }
        }
      }
    }
    if (changeSet.noUpdates()) {
      sb.append("  ").append(ChangeSet.NO_UPDATES).append(nl);
    } else if (changeSet.changes().isEmpty()) {
      sb.append("  (no resource changes; the outputs change)").append(nl);
    }
    return sb.toString();
  }

  private static String detail(ChangeDetail d) {
    String what = d.target().attribute().awsName() + (d.target().name() == null ? "" : " " + d.target().name());
    return what + ": " + d.evaluation().awsName() + " " + d.changeSource().awsName()
        + (d.causingEntity() == null ? "" : " " + d.causingEntity())
        + ", recreation " + d.target().requiresRecreation().awsName();
  }

  /** A physical id for the table: long ones (a wait-condition handle's URL) cut; JSON has them whole. */
  private static String shortened(String id) {
    if (id == null) {
      return "-";
    }
    return id.length() <= MAX_ID_WIDTH ? id : id.substring(0, MAX_ID_WIDTH - 3) + "...";
  }
}
