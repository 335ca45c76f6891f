package org.stacktician.engine.cloudstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stacktician.engine.provider.ProviderContext;
import org.stacktician.engine.provider.ResourceRequest;

/** The poll schedule: a learnt first poll, then gaps proportional to the time waited. */
class JobTimingsTest {
  @Test
  void unknownCommandsArePolledSoonThenAtAnEighthOfTheWait() {
    JobTimings t = new JobTimings();
    assertThat(t.firstPoll("deployVirtualMachine")).isEqualTo(Duration.ofMillis(100));
    assertThat(t.nextPoll("deployVirtualMachine", 100)).isEqualTo(Duration.ofMillis(50));
    assertThat(t.nextPoll("deployVirtualMachine", 8000)).isEqualTo(Duration.ofMillis(1000));
    assertThat(t.nextPoll("deployVirtualMachine", 600_000)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aSteadyLatencyIsLearntSoJobsNeedAboutTwoPolls() {
    JobTimings t = new JobTimings();
    for (int i = 0; i < 10; i++) {
      t.finished("deployVirtualMachine", 30_000);
    }
    Duration first = t.firstPoll("deployVirtualMachine");
    assertThat(first).isEqualTo(Duration.ofMillis(5000)); // capped: a 30 s job is still polled every 5 s at most
    for (int i = 0; i < 10; i++) {
      t.finished("createNetwork", 1000);
    }
    assertThat(t.firstPoll("createNetwork")).isEqualTo(Duration.ofMillis(950));
    // Near the expected end the gap narrows to a twentieth of the wait: seen within ~5% late.
    assertThat(t.nextPoll("createNetwork", 950)).isEqualTo(Duration.ofMillis(50));
    assertThat(t.nextPoll("createNetwork", 1400)).isEqualTo(Duration.ofMillis(70));
    // Far past it, back to an eighth.
    assertThat(t.nextPoll("createNetwork", 4000)).isEqualTo(Duration.ofMillis(500));
    // Other commands are not affected.
    assertThat(t.firstPoll("createVolume")).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void theEstimateFollowsChangesGradually() {
    JobTimings t = new JobTimings();
    t.finished("createVolume", 1000);
    t.finished("createVolume", 2000);
    assertThat(t.firstPoll("createVolume").toMillis()).isEqualTo((long) ((1000 + 0.3 * 1000) * 0.95));
  }

  @Test
  void jobsFinishedAtTheirFirstPollBringItForwardUntilItIsImmediate() {
    JobTimings t = new JobTimings();
    for (int i = 0; i < 10; i++) {
      t.finished("createVolume", 100);
    }
    assertThat(t.firstPoll("createVolume")).isEqualTo(Duration.ofMillis(95));
    t.finishedAtFirstPoll("createVolume");
    assertThat(t.firstPoll("createVolume").toMillis()).isEqualTo((long) (85 * 0.95));
    for (int i = 0; i < 10; i++) {
      t.finishedAtFirstPoll("createVolume");
    }
    // Jobs that end sooner than a step reschedules are polled right after the submit is recorded.
    assertThat(t.firstPoll("createVolume")).isEqualTo(Duration.ZERO);
    // A first poll that comes too early and a later one that sees the job end raise it again.
    for (int i = 0; i < 10; i++) {
      t.finished("createVolume", 1000);
    }
    assertThat(t.firstPoll("createVolume").toMillis()).isBetween(900L, 950L);
  }

  @Test
  void twoInstancesLearnIndependently() {
    JobTimings fastCloud = new JobTimings();
    JobTimings slowCloud = new JobTimings();
    for (int i = 0; i < 20; i++) {
      fastCloud.finishedAtFirstPoll("createVolume");
      slowCloud.finished("createVolume", 2000);
    }
    assertThat(fastCloud.firstPoll("createVolume")).isEqualTo(Duration.ZERO);
    assertThat(slowCloud.firstPoll("createVolume").toMillis()).isBetween(1800L, 1900L);
    // A third, untouched instance still knows nothing.
    assertThat(new JobTimings().firstPoll("createVolume")).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void everyStackOfOneEngineSharesItsTimingsButTwoEnginesDoNot() {
    ProviderContext engineA = ProviderContext.builder().build();
    ProviderContext engineB = ProviderContext.builder().build();
    ProviderContext stackOfA = engineA.withStack(new ResourceRequest.StackRef("arn:stack/a", "a"), Map.of());
    assertThat(stackOfA.jobTimings()).isSameAs(engineA.jobTimings());
    assertThat(engineA.toBuilder().build().jobTimings()).isSameAs(engineA.jobTimings());
    assertThat(engineB.jobTimings()).isNotSameAs(engineA.jobTimings());

    stackOfA.jobTimings().finished("deployVirtualMachine", 0);
    assertThat(engineA.jobTimings().firstPoll("deployVirtualMachine")).isEqualTo(Duration.ZERO);
    assertThat(engineB.jobTimings().firstPoll("deployVirtualMachine")).isEqualTo(Duration.ofMillis(100));

    JobTimings given = new JobTimings();
    assertThat(ProviderContext.builder().jobTimings(given).build().jobTimings()).isSameAs(given);
  }
}
