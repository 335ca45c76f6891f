package org.stacktician.cloudstack.simulator.cloud;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds the CloudStack view of a guest network (shared by the seed and createNetwork). */
public final class NetworkViews {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private NetworkViews() {}

  public static ObjectNode network(String name, String displayText, Resource zone, Resource offering, String gateway,
      String netmask, String cidr, String type, String created) {
    ObjectNode n = JSON.objectNode();
    n.put("name", name);
    n.put("displaytext", displayText);
    n.put("broadcastdomaintype", "Vlan");
    n.put("traffictype", "Guest");
    n.put("gateway", gateway);
    n.put("netmask", netmask);
    n.put("cidr", cidr);
    n.put("zoneid", zone.id());
    n.put("zonename", zone.name());
    n.put("networkofferingid", offering.id());
    n.put("networkofferingname", offering.name());
    n.put("networkofferingdisplaytext", offering.text("displaytext"));
    n.put("networkofferingconservemode", true);
    n.put("networkofferingavailability", offering.text("availability"));
    n.put("issystem", false);
    n.put("state", "Allocated");
    n.put("related", "");
    n.put("dns1", zone.text("dns1"));
    n.put("dns2", zone.text("dns2"));
    n.put("type", type);
    n.put("acltype", "Account");
    var services = n.putArray("service");
    services.addObject().put("name", "PortForwarding").putArray("capability").addObject()
        .put("name", "SupportedProtocols").put("value", "tcp,udp").put("canchooseservicecapability", false);
    services.addObject().put("name", "UserData").putArray("capability");
    n.put("networkdomain", "cs.simulator");
    n.put("physicalnetworkid", zone.id());
    n.put("restartrequired", false);
    n.put("specifyipranges", "Shared".equals(type));
    n.put("canusefordeploy", true);
    n.put("ispersistent", false);
    n.putObject("details");
    n.put("displaynetwork", true);
    n.put("strechedl2subnet", false);
    n.put("redundantrouter", false);
    n.put("isdefault", false);
    n.put("created", created);
    n.put("egressdefaultpolicy", true);
    n.put("hasannotations", false);
    n.put("receivedbytes", 0);
    n.put("sentbytes", 0);
    n.put("supportsvmautoscaling", true);
    return n;
  }
}
