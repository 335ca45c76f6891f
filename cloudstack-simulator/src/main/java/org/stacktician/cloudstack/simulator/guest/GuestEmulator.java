package org.stacktician.cloudstack.simulator.guest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stacktician.cloudstack.simulator.cloud.Resource;
import org.stacktician.cloudstack.simulator.commands.CommandContext;
import org.stacktician.cloudstack.simulator.commands.UserData;
import org.stacktician.cloudstack.simulator.commands.VirtualMachineCommands;

/**
 * Plays the guest for demos: when a VM boots for the first time, the wait-condition signals its
 * user data would send ({@link UserDataSignals}) are PUT to their URLs, like cfn-signal does,
 * with a few retries; a boot script that runs {@code cfn-init} against {@code StackMateApiUrl} also
 * sends the cfn-signal commands of its metadata ({@link CfnInitCalls}). Only loopback URLs are
 * called, so a simulator never reaches other hosts.
 */
public final class GuestEmulator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GuestEmulator.class);
  private static final String BOOTED = "guest.booted";

  private final boolean enabled;
  private final Duration bootDelay;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<SentSignal> sent = new CopyOnWriteArrayList<>();
  /** Signals whose PUT is on its way; {@link #sent()} waits for their answers. */
  private final java.util.concurrent.atomic.AtomicInteger answering = new java.util.concurrent.atomic.AtomicInteger();

  public GuestEmulator(boolean enabled, Duration bootDelay) {
    this.enabled = enabled;
    this.bootDelay = bootDelay;
  }

  /** Called (under the cloud's lock) when {@code vm} reaches Running; acts on the first boot only. */
  public void booted(CommandContext ctx, Resource vm) {
    if (!enabled || vm.hidden().putIfAbsent(BOOTED, Boolean.TRUE) != null) {
      return;
    }
    Object userData = vm.hidden().get(VirtualMachineCommands.USERDATA);
    if (userData == null) {
      return;
    }
    String script = UserData.decode((String) userData);
    List<WaitConditionSignal> signals = UserDataSignals.find(script, vm.id());
    List<CfnInitCalls.Call> inits = CfnInitCalls.find(script);
    if (signals.isEmpty() && inits.isEmpty()) {
      return;
    }
    String vmId = vm.id();
    executor.submit(() -> send(vmId, inits, signals));
  }

  /**
   * Every signal sent (or refused) so far, oldest first. A signal whose PUT is still awaiting its
   * answer is waited for (up to 5 s): the engine may finish a stack on a signal before the guest
   * has read the answer.
   */
  public List<SentSignal> sent() {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (answering.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return List.copyOf(sent);
  }

  private void send(String vmId, List<CfnInitCalls.Call> inits, List<WaitConditionSignal> direct) {
    try {
      if (!bootDelay.isZero()) Thread.sleep(bootDelay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    // cfn-init runs first in the samples' boot scripts; its config's cfn-signal commands come from the metadata API.
    List<WaitConditionSignal> signals = new java.util.ArrayList<>();
    for (CfnInitCalls.Call init : inits) {
      if (!loopback(init.apiUrl())) {
        log.warn("guest of VM {} did not run cfn-init against {}: only loopback URLs are called", vmId, init.apiUrl());
        continue;
      }
      try {
        signals.addAll(CfnInitCalls.signals(http, init, vmId));
      } catch (java.io.IOException | RuntimeException e) {
        log.info("guest of VM {}: cfn-init -r {} could not read its metadata: {}", vmId, init.logicalId(), e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    signals.addAll(direct);
    for (WaitConditionSignal s : signals) {
      String status = s.success() ? "SUCCESS" : "FAILURE";
      if (!loopback(s.url())) {
        log.warn("guest of VM {} did not signal {}: only loopback URLs are called", vmId, s.url());
        sent.add(new SentSignal(vmId, s.url().toString(), status, 0, "not a loopback URL; not sent"));
        continue;
      }
      answering.incrementAndGet();
      try {
        sent.add(put(vmId, s, status));
      } finally {
        answering.decrementAndGet();
      }
    }
  }

  private SentSignal put(String vmId, WaitConditionSignal s, String status) {
    HttpRequest request = HttpRequest.newBuilder(s.url()).timeout(Duration.ofSeconds(10))
        .PUT(HttpRequest.BodyPublishers.ofString(s.body())).header("Content-Type", "").build();
    String error = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        log.info("guest of VM {} signalled {} to {}: HTTP {}", vmId, status, s.url(), response.statusCode());
        if (response.statusCode() / 100 == 2 || attempt == 3) {
          return new SentSignal(vmId, s.url().toString(), status, response.statusCode(),
              response.statusCode() / 100 == 2 ? null : "HTTP " + response.statusCode());
        }
      } catch (IOException e) {
        error = e.getClass().getSimpleName() + ": " + e.getMessage();
        log.info("guest of VM {} could not signal {} (attempt {}): {}", vmId, s.url(), attempt, error);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new SentSignal(vmId, s.url().toString(), status, 0, "interrupted");
      }
      try {
        Thread.sleep(200L * attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return new SentSignal(vmId, s.url().toString(), status, 0, error);
  }

  /** True for localhost and literal loopback addresses (never resolves other names). */
  static boolean loopback(URI url) {
    String host = url.getHost();
    if (host == null) return false;
    if (host.equalsIgnoreCase("localhost")) return true;
    String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (!literal.matches("[0-9.]+") && !literal.contains(":")) return false;
    try {
      return InetAddress.getByName(literal).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
