package org.stacktician.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One kind of request sent from many client threads at once, each thread sending its next as soon
 * as the last is answered, bounded by a request count and a time limit: requests per second, p50,
 * p99 and process CPU per request.
 */
public final class ConcurrentLoad {
  private ConcurrentLoad() {}

  /** One request; throwing counts it as an error. */
  @FunctionalInterface
  public interface Request {
    void send() throws Exception;
  }

  /** What one run measured. */
  public record Result(String name, int threads, long requests, long errors, Duration elapsed, long p50Micros,
      long p99Micros, long cpuNanosPerRequest) {
    public double perSecond() {
      return requests / (elapsed.toNanos() / 1e9);
    }

    /** Requests per second the CPUs could carry if this process had them to itself (CPU time is not stolen by others). */
    public double cpuBoundPerSecond() {
      return cpuNanosPerRequest == 0 ? 0 : Runtime.getRuntime().availableProcessors() * 1e9 / cpuNanosPerRequest;
    }

    @Override
    public String toString() {
      return String.format("%-20s threads=%-3d requests=%-7d errors=%-4d %7.0f req/s  p50=%d us  p99=%d us"
              + "  CPU/request (client+server)=%d us -> %.0f req/s on %d idle cores",
          name, threads, requests, errors, perSecond(), p50Micros, p99Micros, cpuNanosPerRequest / 1000,
          cpuBoundPerSecond(), Runtime.getRuntime().availableProcessors());
    }
  }

  /** Sends up to {@code requests} requests from {@code threads} threads, stopping at {@code limit}. */
  public static Result run(String name, Request request, int threads, long requests, Duration limit) throws Exception {
    AtomicLong issued = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long deadline = System.nanoTime() + limit.toNanos();
    LatencyHistogram[] latencies = new LatencyHistogram[threads];
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = os.getProcessCpuTime();
    long start = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int slot = t;
      // Each thread's histogram is a few kilobytes made before the run: recording allocates nothing, so the
      // harness adds no garbage (nor large arrays, which the collector handles apart) to what it measures.
      latencies[slot] = new LatencyHistogram();
      futures.add(pool.submit(() -> {
        LatencyHistogram mine = latencies[slot];
        while (issued.incrementAndGet() <= requests && System.nanoTime() < deadline) {
          long t0 = System.nanoTime();
          try {
            request.send();
          } catch (Exception e) {
            errors.incrementAndGet();
          }
          mine.record(System.nanoTime() - t0);
        }
        return null;
      }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    long cpu = os.getProcessCpuTime() - cpuStart;
    pool.shutdown();
    LatencyHistogram all = new LatencyHistogram();
    for (LatencyHistogram h : latencies) {
      all.add(h);
    }
    long done = all.count();
    return new Result(name, threads, done, errors.get(), elapsed, all.percentile(0.50) / 1000,
        all.percentile(0.99) / 1000, done == 0 ? 0 : cpu / done);
  }

}
