package org.stacktician.cloudstack.simulator.jobs;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stacktician.cloudstack.simulator.cloud.Account;
import org.stacktician.cloudstack.simulator.cloud.CloudState;
import org.stacktician.cloudstack.simulator.http.ApiException;
import org.stacktician.cloudstack.simulator.http.Envelopes;

/**
 * The async job queue: a submitted job finishes after its drawn latency (or never, when the
 * hang knob is set), on a scheduler thread or at the first poll after it is due, whichever
 * comes first, and keeps its result for queryAsyncJobResult and listAsyncJobs.
 */
public final class AsyncJobs implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AsyncJobs.class);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  /**
   * Finished jobs beyond this many are forgotten, oldest first (CloudStack expires old jobs too);
   * each kept one holds its result (a few KB for a VM), so this bounds the simulator's heap.
   */
  static final int MAX_KEPT_JOBS = 20_000;

  private final CloudState state;
  private final Map<String, AsyncJob> jobs = new ConcurrentHashMap<>();
  private final List<AsyncJob> order = new ArrayList<>();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "simulator-jobs");
    t.setDaemon(true);
    return t;
  });

  public AsyncJobs(CloudState state) {
    this.state = state;
  }

  /** While a job runs, its instance shows {@code jobid} and {@code jobstatus} 0, as CloudStack's objects do. */
  private void mark(AsyncJob job) {
    if (job.instanceId != null) {
      state.byId(job.instanceId).ifPresent(r -> {
        r.view().put("jobid", job.id);
        r.view().put("jobstatus", 0);
      });
    }
  }

  private void unmark(AsyncJob job) {
    if (job.instanceId != null) {
      state.byId(job.instanceId).filter(r -> job.id.equals(r.text("jobid"))).ifPresent(r -> {
        r.view().remove("jobid");
        r.view().remove("jobstatus");
      });
    }
  }

  /**
   * Queues a job. {@code injected} (nullable) makes it fail with that error instead of running;
   * {@code latency} null means it never finishes. Call under the cloud's lock.
   */
  public AsyncJob submit(Account account, String command, String cmdClass, String instanceType, String instanceId,
      JobWork work, ApiException injected, Duration latency) {
    AsyncJob job = new AsyncJob(state.newId(), account, command, cmdClass, instanceType, instanceId, state.now(),
        injected == null ? work : failing(work, injected));
    jobs.put(job.id, job);
    mark(job);
    synchronized (order) {
      order.add(job);
      if (order.size() > MAX_KEPT_JOBS) {
        int[] excess = {order.size() - MAX_KEPT_JOBS * 9 / 10};
        order.removeIf(old -> {
          if (excess[0] > 0 && old.status != AsyncJob.PENDING) {
            excess[0]--;
            jobs.remove(old.id);
            return true;
          }
          return false;
        });
      }
    }
    if (latency == null) {
      job.dueAtMillis = Long.MAX_VALUE;
      log.debug("job {} ({}) will never finish (hang knob)", job.id, command);
    } else {
      job.dueAtMillis = state.clock().millis() + latency.toMillis();
      scheduler.schedule(() -> finish(job), latency.toMillis(), TimeUnit.MILLISECONDS);
    }
    return job;
  }

  private static JobWork failing(JobWork work, ApiException injected) {
    return new JobWork() {
      @Override
      public ObjectNode complete() {
        throw injected;
      }

      @Override
      public void failed(ApiException cause) {
        work.failed(cause);
      }
    };
  }

  /** The caller's job with this id, finished first if it is due. */
  public Optional<AsyncJob> find(String jobId, Account account) {
    AsyncJob job = jobs.get(jobId);
    if (job == null || !job.account.id().equals(account.id())) {
      return Optional.empty();
    }
    if (job.status == AsyncJob.PENDING && state.clock().millis() >= job.dueAtMillis) {
      finish(job);
    }
    return Optional.of(job);
  }

  /** The caller's jobs, oldest first. */
  public List<AsyncJob> list(Account account) {
    List<AsyncJob> out = new ArrayList<>();
    synchronized (order) {
      for (AsyncJob j : order) {
        if (j.account.id().equals(account.id())) {
          out.add(j);
        }
      }
    }
    return out;
  }

  /** Jobs still pending (hanging ones included). */
  public long pending() {
    return jobs.values().stream().filter(j -> j.status == AsyncJob.PENDING).count();
  }

  private void finish(AsyncJob job) {
    if (!job.started.compareAndSet(false, true)) {
      return;
    }
    state.locked(() -> {
      JobWork work = job.work;
      job.work = null; // released before the job shows finished
      try {
        ObjectNode result = work.complete();
        job.result = result == null ? Envelopes.success() : result;
        job.resultCode = 0;
        job.completed = state.now();
        job.status = AsyncJob.SUCCEEDED;
      } catch (ApiException e) {
        fail(job, work, e);
      } catch (RuntimeException e) {
        log.warn("simulated job {} ({}) failed unexpectedly", job.id, job.command, e);
        fail(job, work, ApiException.internal("Internal error executing command, please contact your system administrator"));
      }
      unmark(job);
    });
  }

  private void fail(AsyncJob job, JobWork work, ApiException e) {
    try {
      work.failed(e);
    } catch (RuntimeException undo) {
      log.warn("undoing failed job {} failed", job.id, undo);
    }
    ObjectNode result = JSON.objectNode();
    result.put("errorcode", e.errorCode());
    result.put("errortext", e.errorText());
    job.result = result;
    job.resultCode = e.errorCode();
    job.completed = state.now();
    job.status = AsyncJob.FAILED;
  }

  /** The queryAsyncJobResult / listAsyncJobs view of a job (AsyncJobResponse). */
  public ObjectNode render(AsyncJob job) {
    ObjectNode o = JSON.objectNode();
    o.put("accountid", job.account.id());
    o.put("userid", job.account.userId());
    o.put("cmd", job.cmdClass);
    int status = job.status;
    o.put("jobstatus", status);
    o.put("jobprocstatus", 0);
    o.put("jobresultcode", status == AsyncJob.PENDING ? 0 : job.resultCode);
    o.put("jobresulttype", "object");
    if (status != AsyncJob.PENDING && job.result != null) {
      o.set("jobresult", job.result.deepCopy());
    }
    if (job.instanceType != null) {
      o.put("jobinstancetype", job.instanceType);
    }
    if (job.instanceId != null) {
      o.put("jobinstanceid", job.instanceId);
    }
    o.put("created", job.created);
    if (status != AsyncJob.PENDING) {
      o.put("completed", job.completed);
    }
    o.put("jobid", job.id);
    return o;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
