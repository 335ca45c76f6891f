package org.stacktician.cloudstack.simulator.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.stacktician.cloudstack.simulator.http.ApiException;
import org.stacktician.cloudstack.simulator.jobs.AsyncJob;

/** queryAsyncJobResult and listAsyncJobs. */
public final class JobCommands implements CommandGroup {

  @Override
  public void register(CommandRegistry r) {
    r.register("queryAsyncJobResult", "job.QueryAsyncJobResultCmd", this::query);
    r.register("listAsyncJobs", "job.ListAsyncJobsCmd", this::list);
  }

  private CommandOutcome query(CommandContext ctx) {
    String jobId = ctx.params().get("jobid");
    AsyncJob job = ctx.services().jobs().find(jobId, ctx.account())
        .orElseThrow(() -> ApiException.invalidId(ctx.command(), "jobid", jobId));
    return new CommandOutcome.Sync(ctx.services().jobs().render(job));
  }

  private CommandOutcome list(CommandContext ctx) {
    List<ObjectNode> items = new ArrayList<>();
    String keyword = ctx.params().get("keyword");
    for (AsyncJob job : ctx.services().jobs().list(ctx.account())) {
      ctx.services().jobs().find(job.id(), ctx.account());
      if (keyword != null && !job.command().toLowerCase().contains(keyword.toLowerCase())) continue;
      items.add(ctx.services().jobs().render(job));
    }
    return new CommandOutcome.Sync(Lists.page(ctx, items, "asyncjobs"));
  }
}
