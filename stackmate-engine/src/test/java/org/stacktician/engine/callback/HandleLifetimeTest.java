package org.stacktician.engine.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.SimulatorStackTest;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.state.EngineDatabase;
import org.stacktician.engine.testing.SimulatedEngineTest;

/**
 * A wait condition handle URL works only while its wait condition can use it: a whole stack on the
 * HTTP simulator, its guests signalling through the real listener; a replay after success is
 * answered 410, a signal after delete-stack 404, and the deleted stack leaves no signal rows.
 */
class HandleLifetimeTest extends SimulatedEngineTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static HttpResponse<String> signal(String url, String uniqueId) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofString(
        "{\"Status\":\"SUCCESS\",\"Reason\":\"replayed\",\"UniqueId\":\"" + uniqueId + "\",\"Data\":\"x\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aHandleRefusesSignalsOnceItsWaitConditionIsDoneAndAfterDelete() throws Exception {
    Map<String, String> params = cloud.machineParameters();
    StackRecord s = local.engine().createStack(CreateStackRequest.of("web", SimulatorStackTest.TEMPLATE, params));
    StackRecord done = local.engine().awaitSettled(s.stackId(), Duration.ofSeconds(60));
    assertThat(done.status()).as(done.statusReason()).isEqualTo(StackStatus.CREATE_COMPLETE);
    String url = local.engine().resources(s.stackId()).stream().filter(r -> r.logicalId().equals("Handle"))
        .findFirst().orElseThrow().physicalId();

    HttpResponse<String> replay = signal(url, "vm1-up");
    assertThat(replay.statusCode()).as(replay.body()).isEqualTo(410);
    assertThat(replay.body()).contains("CREATE_COMPLETE").contains("Handle");
    HttpResponse<String> fresh = signal(url, "someone-new");
    assertThat(fresh.statusCode()).isEqualTo(410);

    StackRecord deleted = local.engine().deleteStack("web");
    assertThat(local.engine().awaitSettled(deleted.stackId(), Duration.ofSeconds(60)).status())
        .isEqualTo(StackStatus.DELETE_COMPLETE);
    HttpResponse<String> late = signal(url, "after-delete");
    assertThat(late.statusCode()).as(late.body()).isEqualTo(404);
    assertThat(late.body()).contains("does not exist");
    local.close();
    local = null;

    try (EngineDatabase db = EngineDatabase.h2File(dir);
        Connection c = db.dataSource().getConnection();
        PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM sm_signals WHERE stack_id = ?")) {
      q.setString(1, s.stackId());
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        assertThat(rs.getLong(1)).as("signal rows left for the deleted stack").isZero();
      }
    }
  }
}
