package org.stacktician.cloudstack.simulator.commands;

import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.DISK_OFFERING;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.SNAPSHOT;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.VIRTUAL_MACHINE;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.VOLUME;
import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.ZONE;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Set;
import org.stacktician.cloudstack.simulator.cloud.Account;
import org.stacktician.cloudstack.simulator.cloud.CloudState;
import org.stacktician.cloudstack.simulator.cloud.Resource;
import org.stacktician.cloudstack.simulator.http.ApiException;
import org.stacktician.cloudstack.simulator.jobs.JobWork;

/** Volumes (create, delete, attach, detach, resize, list) and their snapshots. */
public final class VolumeCommands implements CommandGroup {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final long GB = 1024L * 1024 * 1024;

  @Override
  public void register(CommandRegistry r) {
    r.register("createVolume", "volume.CreateVolumeCmd", this::create);
    r.register("deleteVolume", "volume.DeleteVolumeCmd", this::delete);
    r.register("attachVolume", "volume.AttachVolumeCmd", this::attachCmd);
    r.register("detachVolume", "volume.DetachVolumeCmd", this::detachCmd);
    r.register("resizeVolume", "volume.ResizeVolumeCmd", this::resize);
    r.register("listVolumes", "volume.ListVolumesCmd", this::list);
    r.register("createSnapshot", "snapshot.CreateSnapshotCmd", this::createSnapshot);
    r.register("deleteSnapshot", "snapshot.DeleteSnapshotCmd", this::deleteSnapshot);
    r.register("listSnapshots", "snapshot.ListSnapshotsCmd", this::listSnapshots);
  }

  /** The CloudStack view of a new, detached volume. */
  static ObjectNode view(CloudState s, Account a, Resource zone, String name, String type, long size, Resource offering) {
    ObjectNode v = JSON.objectNode();
    v.put("name", name);
    v.put("zoneid", zone.id());
    v.put("zonename", zone.name());
    v.put("type", type);
    v.put("size", size);
    v.put("virtualsize", size);
    v.put("physicalsize", size);
    v.put("created", s.now());
    v.put("state", "Allocated");
    CloudState.owner(v, a);
    v.put("storagetype", "shared");
    if (offering != null) {
      v.put("diskofferingid", offering.id());
      v.put("diskofferingname", offering.name());
      v.put("diskofferingdisplaytext", offering.text("displaytext"));
    }
    v.put("destroyed", false);
    v.put("isextractable", true);
    v.put("hypervisor", "None");
    v.put("provisioningtype", "thin");
    v.put("displayvolume", true);
    v.put("quiescevm", false);
    v.put("supportsstoragesnapshot", false);
    v.put("storage", "PS0-" + zone.name());
    v.put("hasannotations", false);
    return v;
  }

  /** Attaches {@code volume} to {@code vm} at {@code deviceId}. */
  static void attach(CloudState s, Resource volume, Resource vm, long deviceId) {
    ObjectNode v = volume.view();
    v.put("virtualmachineid", vm.id());
    v.put("vmname", vm.name());
    v.put("vmdisplayname", vm.text("displayname"));
    v.put("vmstate", vm.text("state"));
    v.put("vmtype", "User");
    v.put("deviceid", deviceId);
    v.put("attached", s.now());
    v.put("state", "Ready");
    v.put("hypervisor", "Simulator");
    v.put("path", volume.id());
  }

  /** Detaches {@code volume} from its VM, if any. */
  static void detach(Resource volume) {
    ObjectNode v = volume.view();
    for (String f : new String[] {"virtualmachineid", "vmname", "vmdisplayname", "vmstate", "vmtype", "deviceid", "attached"}) {
      v.remove(f);
    }
  }

  private CommandOutcome create(CommandContext ctx) {
    CloudState s = ctx.state();
    Params p = ctx.params();
    Resource offering = ctx.optionalResource("diskofferingid", DISK_OFFERING);
    Resource snapshot = ctx.optionalResource("snapshotid", SNAPSHOT);
    if (offering == null && snapshot == null) {
      throw ApiException.invalidParameterValue("Either disk Offering Id or snapshot Id must be passed whilst creating volume");
    }
    Resource vm = ctx.optionalResource("virtualmachineid", VIRTUAL_MACHINE);
    Resource zone;
    if (snapshot != null) {
      zone = s.byId(snapshot.text("zoneid")).orElseThrow();
    } else if (p.has("zoneid")) {
      zone = ctx.resource("zoneid", ZONE);
    } else if (vm != null) {
      zone = s.byId(vm.text("zoneid")).orElseThrow();
    } else {
      throw ApiException.missingParameter(ctx.command(), "zoneid");
    }
    Integer max = s.capacity().volumes();
    if (max != null && s.count(VOLUME) >= max) {
      throw ApiException.insufficientCapacity(4340, "Insufficient storage capacity: no primary storage in zone " + zone.name()
          + " has room for a new volume");
    }
    long size;
    if (snapshot != null) {
      size = snapshot.view().path("virtualsize").asLong();
    } else if (offering.view().path("iscustomized").asBoolean()) {
      Long gb = p.longValue("size");
      if (gb == null || gb <= 0) {
        throw ApiException.invalidParameterValue("This disk offering requires a custom size specified");
      }
      size = gb * GB;
    } else {
      size = offering.view().path("disksize").asLong() * GB;
    }
    String name = p.get("name", "DATA-" + s.nextSequence());
    ObjectNode view = view(s, ctx.account(), zone, name, "DATADISK", size, offering);
    view.put("state", "Creating");
    if (snapshot != null) view.put("snapshotid", snapshot.id());
    view.put("displayvolume", p.bool("displayvolume", true));
    Resource volume = s.add(VOLUME, s.newId(), ctx.account(), view, false);
    return new CommandOutcome.Async(volume.id(), "Volume", volume.id(), new JobWork() {
      @Override
      public ObjectNode complete() {
        volume.view().put("state", "Allocated");
        if (vm != null) {
          attach(s, volume, vm, nextDevice(s, vm));
        }
        return Lists.wrap("volume", s.render(volume));
      }

      @Override
      public void failed(ApiException cause) {
        s.remove(volume);
      }
    });
  }

  private static long nextDevice(CloudState s, Resource vm) {
    Set<Long> used = new HashSet<>();
    for (Resource v : s.all(VOLUME)) {
      if (vm.id().equals(v.text("virtualmachineid"))) used.add(v.view().path("deviceid").asLong());
    }
    long d = 1;
    while (used.contains(d) || d == 3) d++; // device 3 is the CD-ROM on CloudStack
    return d;
  }

  private CommandOutcome delete(CommandContext ctx) {
    Resource volume = ctx.resource("id", VOLUME);
    if (volume.text("virtualmachineid") != null) {
      throw ApiException.invalidParameterValue("Please specify a volume that is not attached to any VM.");
    }
    ctx.state().remove(volume);
    return new CommandOutcome.Sync(org.stacktician.cloudstack.simulator.http.Envelopes.success());
  }

  private CommandOutcome attachCmd(CommandContext ctx) {
    CloudState s = ctx.state();
    Resource volume = ctx.resource("id", VOLUME);
    Resource vm = ctx.resource("virtualmachineid", VIRTUAL_MACHINE);
    Long device = ctx.params().longValue("deviceid");
    return new CommandOutcome.Async(null, "Volume", volume.id(), () -> {
      if (volume.text("virtualmachineid") != null) {
        throw ApiException.invalidParameterValue("Volume " + volume.name() + " is already attached to a VM");
      }
      if (!volume.text("zoneid").equals(vm.text("zoneid"))) {
        throw ApiException.invalidParameterValue("Please specify a VM that is in the same zone as the volume.");
      }
      if (!VirtualMachineCommands.alive(vm) || "Destroyed".equals(vm.text("state"))) {
        throw ApiException.invalidParameterValue("Please specify a VM that is either running or stopped.");
      }
      long d = device != null ? device : nextDevice(s, vm);
      for (Resource v : s.all(VOLUME)) {
        if (vm.id().equals(v.text("virtualmachineid")) && v.view().path("deviceid").asLong() == d) {
          throw ApiException.invalidParameterValue("deviceId " + d + " is used by VM " + vm.name());
        }
      }
      attach(s, volume, vm, d);
      return Lists.wrap("volume", s.render(volume));
    });
  }

  private CommandOutcome detachCmd(CommandContext ctx) {
    CloudState s = ctx.state();
    Resource volume = ctx.optionalResource("id", VOLUME);
    if (volume == null) {
      Resource vm = ctx.optionalResource("virtualmachineid", VIRTUAL_MACHINE);
      Long device = ctx.params().longValue("deviceid");
      if (vm == null || device == null) {
        throw ApiException.invalidParameterValue("Please provide either a volume id, or a tuple(device id, instance id)");
      }
      volume = s.all(VOLUME).stream().filter(v -> vm.id().equals(v.text("virtualmachineid"))
          && v.view().path("deviceid").asLong() == device).findFirst()
          .orElseThrow(() -> ApiException.invalidParameterValue("Unable to find volume with device id " + device + " on VM " + vm.name()));
    }
    Resource target = volume;
    if ("ROOT".equals(target.text("type"))) {
      throw ApiException.invalidParameterValue("Please specify a data volume.");
    }
    return new CommandOutcome.Async(null, "Volume", target.id(), () -> {
      if (target.text("virtualmachineid") == null) {
        throw ApiException.invalidParameterValue("Volume " + target.name() + " is not attached to any VM");
      }
      detach(target);
      return Lists.wrap("volume", s.render(target));
    });
  }

  /**
   * A new size (GB) for a volume of a custom-size offering, or a new offering; as CloudStack, shrinking needs
   * {@code shrinkok=true}.
   */
  private CommandOutcome resize(CommandContext ctx) {
    CloudState s = ctx.state();
    Resource volume = ctx.resource("id", VOLUME);
    Resource offering = ctx.optionalResource("diskofferingid", DISK_OFFERING);
    Params p = ctx.params();
    Resource sizing = offering != null ? offering : volume.text("diskofferingid") == null ? null
        : s.byId(volume.text("diskofferingid")).orElse(null);
    long current = volume.view().path("size").asLong();
    long size;
    if (sizing != null && !sizing.view().path("iscustomized").asBoolean()) {
      if (p.has("size")) {
        throw ApiException.invalidParameterValue("Disk offering " + sizing.name()
            + " has a fixed size; a size can be given only for a custom-size offering");
      }
      size = sizing.view().path("disksize").asLong() * GB;
    } else {
      Long gb = p.longValue("size");
      if (gb == null || gb <= 0) {
        throw ApiException.invalidParameterValue("New size (GB) must be given and greater than zero for a volume of a "
            + "custom-size disk offering");
      }
      size = gb * GB;
    }
    if (size < current && !p.bool("shrinkok", false)) {
      throw ApiException.invalidParameterValue("Going from existing size of " + current + " to size of " + size
          + " would shrink the volume. Need to sign off by supplying the shrinkok parameter with value of true.");
    }
    return new CommandOutcome.Async(null, "Volume", volume.id(), () -> {
      volume.view().put("size", size);
      volume.view().put("virtualsize", size);
      if (offering != null) {
        volume.view().put("diskofferingid", offering.id());
        volume.view().put("diskofferingname", offering.name());
        volume.view().put("diskofferingdisplaytext", offering.text("displaytext"));
      }
      return Lists.wrap("volume", s.render(volume));
    });
  }

  private CommandOutcome list(CommandContext ctx) {
    return Lists.list(ctx, VOLUME, "volume", v -> Lists.matches(ctx, v, "virtualmachineid", "virtualmachineid")
        && Lists.matches(ctx, v, "type", "type") && Lists.matches(ctx, v, "zoneid", "zoneid")
        && Lists.matches(ctx, v, "state", "state") && Lists.matches(ctx, v, "diskofferingid", "diskofferingid"));
  }

  private CommandOutcome createSnapshot(CommandContext ctx) {
    CloudState s = ctx.state();
    Resource volume = ctx.resource("volumeid", VOLUME);
    if (!"Ready".equals(volume.text("state"))) {
      // CloudStack gives a volume storage when it is first attached; before that there is nothing to copy.
      throw ApiException.invalidParameterValue("VolumeId: " + volume.id() + " is not in Ready state but "
          + volume.text("state") + ". Cannot take snapshot.");
    }
    Params p = ctx.params();
    ObjectNode v = JSON.objectNode();
    String vmName = volume.text("vmname");
    v.put("name", p.get("name", (vmName == null ? "" : vmName + "_") + volume.name() + "_" + s.now().replaceAll("[^0-9]", "").substring(0, 14)));
    CloudState.owner(v, ctx.account());
    v.put("volumeid", volume.id());
    v.put("volumename", volume.name());
    v.put("volumetype", volume.text("type"));
    v.put("snapshottype", "MANUAL");
    v.put("intervaltype", "MANUAL");
    v.put("state", "Creating");
    v.put("created", s.now());
    v.put("zoneid", volume.text("zoneid"));
    v.put("physicalsize", volume.view().path("size").asLong());
    v.put("virtualsize", volume.view().path("size").asLong());
    v.put("revertable", false);
    v.put("locationtype", p.get("locationtype", "Primary"));
    v.put("hasannotations", false);
    Resource snapshot = s.add(SNAPSHOT, s.newId(), ctx.account(), v, false);
    for (var t : p.map("tags")) {
      if (t.get("key") != null) snapshot.tags().put(t.get("key"), t.getOrDefault("value", ""));
    }
    return new CommandOutcome.Async(snapshot.id(), "Snapshot", snapshot.id(), new JobWork() {
      @Override
      public ObjectNode complete() {
        snapshot.view().put("state", "BackedUp");
        return Lists.wrap("snapshot", s.render(snapshot));
      }

      @Override
      public void failed(ApiException cause) {
        s.remove(snapshot);
      }
    });
  }

  private CommandOutcome deleteSnapshot(CommandContext ctx) {
    Resource snapshot = ctx.resource("id", SNAPSHOT);
    return new CommandOutcome.Async(null, "Snapshot", snapshot.id(), () -> {
      ctx.state().remove(snapshot);
      return null;
    });
  }

  private CommandOutcome listSnapshots(CommandContext ctx) {
    return Lists.list(ctx, SNAPSHOT, "snapshot", v -> Lists.matches(ctx, v, "volumeid", "volumeid")
        && Lists.matches(ctx, v, "snapshottype", "snapshottype") && Lists.matches(ctx, v, "zoneid", "zoneid")
        && Lists.matches(ctx, v, "intervaltype", "intervaltype"));
  }
}
