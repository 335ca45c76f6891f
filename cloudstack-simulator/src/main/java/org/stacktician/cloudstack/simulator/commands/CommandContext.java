package org.stacktician.cloudstack.simulator.commands;

import org.stacktician.cloudstack.simulator.cloud.Account;
import org.stacktician.cloudstack.simulator.cloud.CloudState;
import org.stacktician.cloudstack.simulator.cloud.Resource;
import org.stacktician.cloudstack.simulator.cloud.ResourceKind;

/** One API call as a handler sees it: caller, checked parameters, HTTP method, the cloud. */
public record CommandContext(CloudState state, Account account, Params params, boolean post, SimulatorServices services) {

  public Resource resource(String param, ResourceKind... kinds) {
    return params.resource(state, account, param, kinds);
  }

  public Resource optionalResource(String param, ResourceKind... kinds) {
    return params.optionalResource(state, account, param, kinds);
  }

  public String command() {
    return params.command();
  }
}
