package org.stacktician.server.cfn;

import java.util.Map;
import java.util.Set;
import org.stacktician.server.cfn.CfnApi.Action;
import org.stacktician.server.cfn.CfnApi.Reply;
import org.stacktician.server.stacks.ServerEngine;
import org.stacktician.server.stacks.ServerStack;
import org.stacktician.server.users.Caller;

/**
 * The update actions: UpdateStack, CancelUpdateStack, ContinueUpdateRollback and RollbackStack, through the engine's
 * update and rollback.
 */
final class UpdateActions {
  private final ServerEngine.Holder stacks;

  private UpdateActions(ServerEngine.Holder stacks) {
    this.stacks = stacks;
  }

  static void register(Map<String, Action> actions, ServerEngine.Holder stacks) {
    UpdateActions a = new UpdateActions(stacks);
    actions.put("UpdateStack", a::updateStack);
    actions.put("CancelUpdateStack", a::cancelUpdateStack);
    actions.put("ContinueUpdateRollback", a::continueUpdateRollback);
    actions.put("RollbackStack", a::rollbackStack);
  }

  private Reply updateStack(Caller caller, QueryParams p) {
    String name = p.required("StackName");
    ServerStack s = stacks.service().update(caller, name,
        ChangeSetActions.update(p).withDisableRollback(Boolean.TRUE.equals(p.bool("DisableRollback"))), null);
    return new Reply.Result(CfnShapes.object().put("StackId", s.record().stackId()));
  }

  private Reply cancelUpdateStack(Caller caller, QueryParams p) {
    stacks.service().cancelUpdate(caller, p.required("StackName"));
    return new Reply.Result(null);
  }

  private Reply continueUpdateRollback(Caller caller, QueryParams p) {
    stacks.service().continueUpdateRollback(caller, p.required("StackName"), Set.copyOf(p.list("ResourcesToSkip")));
    return new Reply.Result(CfnShapes.object());
  }

  /** A stack that is not CREATE_FAILED or UPDATE_FAILED is refused with a ValidationError naming its status. */
  private Reply rollbackStack(Caller caller, QueryParams p) {
    ServerStack s = stacks.service().rollback(caller, p.required("StackName"));
    return new Reply.Result(CfnShapes.object().put("StackId", s.record().stackId()));
  }
}
