package org.stacktician.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.server.ApiClient.Answer;
import org.stacktician.server.config.ServerConfig;

/**
 * Many clients reading stacks at once, more than the server's connection pool holds: every list and
 * describe is answered, in the same order as one client alone sees. (A list used to hold one pooled
 * connection while it read each of its page's stacks through another: sixteen lists at once could
 * hold the whole pool and wait for a seventeenth connection until the pool's time-out, answering
 * 500; the load harness ServerLoad showed it at 64 clients with pages of 50 and 100.)
 */
class ConcurrentStackReadsTest {
  private static final String HANDLE = """
      {"Resources": {"Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"}}}
      """;
  private static final int CLIENTS = 48;
  /** Stacks stored; a page lists all but the oldest. */
  private static final int STACKS = 12;
  private static final int PAGE = STACKS - 1;

  @TempDir Path dataDir;

  @Test
  void manyConcurrentListsAndDescribesAreAllAnsweredInListOrder() throws Exception {
    try (StackticianServer server = StackticianServer.start(
        new ServerConfig(dataDir, "127.0.0.1", 0, null, null, null, null, null, true))) {
      var creds = server.printedCredentials().orElseThrow();
      ApiClient client = ApiClient.bearer(server.api(), creds.accessKeyId(), creds.secretAccessKey());
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < STACKS; i++) {
        Answer made = client.post("/stacks", Map.of("name", "read-" + i, "templateBody", HANDLE));
        assertThat(made.status()).as(made.text()).isEqualTo(201);
        ids.add(made.body().path("id").asText());
      }
      Answer alone = client.get("/stacks?limit=" + PAGE);
      assertThat(alone.status()).as(alone.text()).isEqualTo(200);
      assertThat(alone.body().path("total").asInt()).isEqualTo(STACKS);
      List<String> order = new ArrayList<>();
      alone.body().path("items").forEach(s -> order.add(s.path("id").asText()));
      assertThat(order).containsExactlyElementsOf(ids.reversed().subList(0, PAGE));

      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Answer>>> answers = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
          String stack = ids.get(c % ids.size());
          answers.add(pool.submit(() -> {
            start.await();
            List<Answer> mine = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
              mine.add(client.get("/stacks?limit=" + PAGE));
              mine.add(client.get("/stacks/" + stack));
            }
            return mine;
          }));
        }
        start.countDown();
        for (Future<List<Answer>> f : answers) {
          for (Answer a : f.get(5, TimeUnit.MINUTES)) {
            assertThat(a.status()).as(a.text()).isEqualTo(200);
            if (a.body().has("items")) {
              assertThat(a.body().path("total").asInt()).isEqualTo(STACKS);
              List<String> seen = new ArrayList<>();
              a.body().path("items").forEach(s -> seen.add(s.path("id").asText()));
              assertThat(seen).isEqualTo(order);
            }
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
