package org.stacktician.cloudstack.simulator.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stacktician.cloudstack.client.Credentials;
import org.stacktician.cloudstack.simulator.cloud.Account;
import org.stacktician.cloudstack.simulator.cloud.CloudState;
import org.stacktician.cloudstack.simulator.config.Capacity;

/** The job queue keeps what queryAsyncJobResult needs, and no more than its bound. */
class AsyncJobsTest {
  private final CloudState state = new CloudState(1, Clock.systemUTC(), Capacity.UNLIMITED);
  private final Account account = new Account("a1", "admin", "d1", "ROOT", "u1", "admin", new Credentials("k", "s"));

  private static JobWork resultOf(String name) {
    return () -> {
      ObjectNode r = JsonNodeFactory.instance.objectNode();
      r.putObject("volume").put("name", name);
      return r;
    };
  }

  /** Polls the job until it has finished (the job timer may be finishing it as the poll comes). */
  private AsyncJob awaitFinished(AsyncJobs jobs, AsyncJob job) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (true) {
      AsyncJob found = jobs.find(job.id(), account).orElseThrow();
      if (found.status() != AsyncJob.PENDING) {
        return found;
      }
      assertThat(System.nanoTime()).as("job " + job.id() + " never finished").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  @Test
  void aFinishedJobKeepsItsResultButDropsItsWork() {
    try (AsyncJobs jobs = new AsyncJobs(state)) {
      AsyncJob job = state.locked(() -> jobs.submit(account, "createVolume", "CreateVolumeCmd", "Volume", null,
          resultOf("v1"), null, Duration.ZERO));
      AsyncJob found = awaitFinished(jobs, job);

      assertThat(found.status()).isEqualTo(AsyncJob.SUCCEEDED);
      assertThat(jobs.render(found).at("/jobresult/volume/name").asText()).isEqualTo("v1");
      assertThat(found.work).as("the work closure (and the resources it holds) is released").isNull();
    }
  }

  @Test
  void finishedJobsBeyondTheBoundAreForgottenOldestFirstPendingOnesNever() {
    try (AsyncJobs jobs = new AsyncJobs(state)) {
      AsyncJob hanging = state.locked(() -> jobs.submit(account, "createVolume", "CreateVolumeCmd", "Volume", null,
          resultOf("hang"), null, null));
      List<AsyncJob> done = new ArrayList<>();
      for (int i = 0; i < AsyncJobs.MAX_KEPT_JOBS + 10; i++) {
        AsyncJob j = state.locked(() -> jobs.submit(account, "createVolume", "CreateVolumeCmd", "Volume", null,
            resultOf("v"), null, Duration.ZERO));
        awaitFinished(jobs, j); // due at once: finished by the poll or the job timer, whichever is first
        done.add(j);
      }

      assertThat(jobs.list(account)).hasSizeLessThanOrEqualTo(AsyncJobs.MAX_KEPT_JOBS);
      assertThat(jobs.find(done.get(0).id(), account)).as("oldest finished job forgotten").isEmpty();
      assertThat(jobs.find(done.get(done.size() - 1).id(), account)).as("newest kept").isPresent();
      assertThat(jobs.find(hanging.id(), account)).as("a pending job is never forgotten").isPresent();
      assertThat(jobs.pending()).isEqualTo(1);
    }
  }
}
