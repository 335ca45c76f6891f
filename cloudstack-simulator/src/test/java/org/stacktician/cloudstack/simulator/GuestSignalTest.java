package org.stacktician.cloudstack.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stacktician.cloudstack.simulator.SimulatorTesting.WAIT;
import static org.stacktician.cloudstack.simulator.SimulatorTesting.idOf;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.stacktician.cloudstack.client.CloudStackClient;

/** A booted VM whose user data calls cfn-signal PUTs the signal to a real wait-condition endpoint on loopback. */
class GuestSignalTest {

  record Received(String method, String path, String body) {}

  @Test
  void bootedVmSignalsItsWaitConditionHandleAndOnlyOnFirstBoot() throws Exception {
    LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
    HttpServer waitConditions = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    waitConditions.createContext("/", exchange -> {
      received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
          new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    waitConditions.start();
    try (CloudStackSimulator sim = CloudStackSimulator.start(); CloudStackClient c = SimulatorTesting.client(sim)) {
      String handle = "http://127.0.0.1:" + waitConditions.getAddress().getPort() + "/waitcondition/stack-1/WaitHandle";
      String script = "#!/bin/bash\nfunction error_exit\n{\n  cfn-signal -e 1 -r \"$1\" '" + handle + "'\n  exit 1\n}\n"
          + "yum install -y httpd || error_exit 'no httpd'\ncfn-signal -e 0 -r \"Web server ready\" '" + handle + "'\n";
      String zone = idOf(c, "listZones", Map.of(), "Sandbox-simulator");
      var job = c.submit("deployVirtualMachine", Map.of("zoneid", zone,
          "serviceofferingid", idOf(c, "listServiceOfferings", Map.of(), "Small Instance"),
          "templateid", idOf(c, "listTemplates", Map.of("templatefilter", "featured"), "Amazon Linux 2"),
          "userdata", Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_8))));
      c.await(job, WAIT);
      Received signal = received.poll(10, TimeUnit.SECONDS);
      assertThat(signal).isNotNull();
      assertThat(signal.method()).isEqualTo("PUT");
      assertThat(signal.path()).isEqualTo("/waitcondition/stack-1/WaitHandle");
      assertThat(SimulatorTesting.JSON.readTree(signal.body())).isEqualTo(SimulatorTesting.JSON.readTree(
          "{\"Status\":\"SUCCESS\",\"Reason\":\"Web server ready\",\"Data\":\"\",\"UniqueId\":\"" + job.resourceId() + "\"}"));
      assertThat(received.poll(300, TimeUnit.MILLISECONDS)).as("the error_exit function never ran").isNull();

      c.submitAndAwait("stopVirtualMachine", Map.of("id", job.resourceId()), WAIT);
      c.submitAndAwait("startVirtualMachine", Map.of("id", job.resourceId()), WAIT);
      assertThat(received.poll(300, TimeUnit.MILLISECONDS)).as("user data runs on the first boot only").isNull();
      assertThat(sim.guestSignals()).singleElement().satisfies(s -> {
        assertThat(s.httpStatus()).isEqualTo(200);
        assertThat(s.status()).isEqualTo("SUCCESS");
      });
      assertThat(SimulatorTesting.admin(sim, "signals").get(0).path("url").asText()).isEqualTo(handle);

      // a failing boot script signals FAILURE; a handle on another host is never called
      String failing = "#!/bin/bash\ncfn-signal -s false -r 'disk full' '" + handle + "'\n"
          + "cfn-signal -e 0 'http://10.11.12.13:4567/waitcondition/x/y'\n";
      c.submitAndAwait("deployVirtualMachine", Map.of("zoneid", zone,
          "serviceofferingid", idOf(c, "listServiceOfferings", Map.of(), "Small Instance"),
          "templateid", idOf(c, "listTemplates", Map.of("templatefilter", "featured"), "Amazon Linux 2"),
          "userdata", Base64.getEncoder().encodeToString(failing.getBytes(StandardCharsets.UTF_8))), WAIT);
      Received failure = received.poll(10, TimeUnit.SECONDS);
      assertThat(failure).isNotNull();
      assertThat(SimulatorTesting.JSON.readTree(failure.body()).path("Status").asText()).isEqualTo("FAILURE");
      assertThat(SimulatorTesting.JSON.readTree(failure.body()).path("Reason").asText()).isEqualTo("disk full");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (sim.guestSignals().size() < 3 && System.nanoTime() < deadline) Thread.sleep(20);
      assertThat(sim.guestSignals().get(2).error()).isEqualTo("not a loopback URL; not sent");
    } finally {
      waitConditions.stop(0);
    }
  }
}
