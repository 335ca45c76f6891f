package org.stacktician.cloudstack.simulator.commands;

import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.AFFINITY_GROUP;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.INSTANCE_GROUP;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.VIRTUAL_MACHINE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.stacktician.cloudstack.simulator.cloud.Account;
import org.stacktician.cloudstack.simulator.cloud.CloudState;
import org.stacktician.cloudstack.simulator.cloud.Resource;
import org.stacktician.cloudstack.simulator.http.ApiException;
import org.stacktician.cloudstack.simulator.http.Envelopes;
import org.stacktician.cloudstack.simulator.jobs.JobWork;

/** Affinity groups and instance groups. */
public final class GroupCommands implements CommandGroup {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final List<String> AFFINITY_TYPES = List.of("host affinity", "host anti-affinity",
      "non-strict host affinity", "non-strict host anti-affinity");

  @Override
  public void register(CommandRegistry r) {
    r.register("createAffinityGroup", "affinitygroup.CreateAffinityGroupCmd", this::createAffinity);
    r.register("deleteAffinityGroup", "affinitygroup.DeleteAffinityGroupCmd", this::deleteAffinity);
    r.register("listAffinityGroups", "affinitygroup.ListAffinityGroupsCmd", this::listAffinity);
    r.register("createInstanceGroup", "vmgroup.CreateVMGroupCmd", this::createGroup);
    r.register("deleteInstanceGroup", "vmgroup.DeleteVMGroupCmd", this::deleteGroup);
    r.register("listInstanceGroups", "vmgroup.ListVMGroupsCmd", ctx -> Lists.list(ctx, INSTANCE_GROUP, "instancegroup", null));
  }

  private CommandOutcome createAffinity(CommandContext ctx) {
    CloudState s = ctx.state();
    String name = ctx.params().get("name");
    String type = ctx.params().get("type");
    if (!AFFINITY_TYPES.contains(type)) {
      throw ApiException.invalidParameterValue("Unable to create affinity group, invalid affinity group type" + type);
    }
    for (Resource g : s.list(AFFINITY_GROUP, ctx.account())) {
      if (name.equals(g.name())) {
        throw ApiException.invalidParameterValue("Unable to create affinity group, a group with name " + name + " already exists.");
      }
    }
    ObjectNode v = JSON.objectNode();
    v.put("name", name);
    if (ctx.params().has("description")) v.put("description", ctx.params().get("description"));
    CloudState.owner(v, ctx.account());
    v.put("type", type);
    Resource g = s.add(AFFINITY_GROUP, s.newId(), ctx.account(), v, false);
    return new CommandOutcome.Async(g.id(), "AffinityGroup", g.id(), new JobWork() {
      @Override
      public ObjectNode complete() {
        return Lists.wrap("affinitygroup", render(s, g));
      }

      @Override
      public void failed(ApiException cause) {
        s.remove(g);
      }
    });
  }

  private static ObjectNode render(CloudState s, Resource g) {
    ObjectNode out = s.render(g);
    ArrayNode ids = out.putArray("virtualmachineIds");
    for (Resource vm : s.all(VIRTUAL_MACHINE)) {
      if (VirtualMachineCommands.contains(vm.view().path("affinitygroup"), "id", g.id())) ids.add(vm.id());
    }
    return out;
  }

  private CommandOutcome deleteAffinity(CommandContext ctx) {
    CloudState s = ctx.state();
    Resource g;
    if (ctx.params().has("id")) {
      g = ctx.resource("id", AFFINITY_GROUP);
    } else if (ctx.params().has("name")) {
      String name = ctx.params().get("name");
      g = s.list(AFFINITY_GROUP, ctx.account()).stream().filter(a -> name.equals(a.name())).findFirst()
          .orElseThrow(() -> ApiException.invalidParameterValue("Unable to find affinity group by name " + name));
    } else {
      throw ApiException.invalidParameterValue("Either the affinity group's name or id is required");
    }
    return new CommandOutcome.Async(null, "AffinityGroup", g.id(), () -> {
      if (!render(s, g).path("virtualmachineIds").isEmpty()) {
        throw ApiException.inUse("Cannot delete affinity group " + g.name() + " since it is in use by virtual machines");
      }
      s.remove(g);
      return null;
    });
  }

  private CommandOutcome listAffinity(CommandContext ctx) {
    String vmId = ctx.params().get("virtualmachineid");
    ObjectNode body = Lists.listBody(ctx, ctx.state().list(AFFINITY_GROUP, ctx.account()), "affinitygroup",
        g -> Lists.matches(ctx, g, "type", "type") && (vmId == null || ctx.state().byId(vmId)
            .map(vm -> VirtualMachineCommands.contains(vm.view().path("affinitygroup"), "id", g.id())).orElse(false)));
    for (JsonNode item : body.path("affinitygroup")) {
      ctx.state().byId(item.path("id").asText()).ifPresent(g -> ((ObjectNode) item).setAll(render(ctx.state(), g)));
    }
    return new CommandOutcome.Sync(body);
  }

  /** Creates an instance group (also when deployVirtualMachine names a group that does not exist yet). */
  static Resource createInstanceGroup(CloudState s, Account a, String name) {
    ObjectNode v = JSON.objectNode();
    v.put("name", name);
    v.put("created", s.now());
    CloudState.owner(v, a);
    v.put("hasannotations", false);
    return s.add(INSTANCE_GROUP, s.newId(), a, v, false);
  }

  private CommandOutcome createGroup(CommandContext ctx) {
    String name = ctx.params().get("name");
    for (Resource g : ctx.state().list(INSTANCE_GROUP, ctx.account())) {
      if (name.equals(g.name())) {
        throw ApiException.invalidParameterValue("Unable to create instance group, a group with name " + name
            + " already exists for account " + ctx.account().name());
      }
    }
    Resource g = createInstanceGroup(ctx.state(), ctx.account(), name);
    return new CommandOutcome.Sync(Lists.wrap("instancegroup", ctx.state().render(g)));
  }

  private CommandOutcome deleteGroup(CommandContext ctx) {
    Resource g = ctx.resource("id", INSTANCE_GROUP);
    for (Resource vm : ctx.state().all(VIRTUAL_MACHINE)) {
      if (g.id().equals(vm.text("groupid"))) {
        vm.view().remove("group");
        vm.view().remove("groupid");
      }
    }
    ctx.state().remove(g);
    return new CommandOutcome.Sync(Envelopes.success());
  }
}
