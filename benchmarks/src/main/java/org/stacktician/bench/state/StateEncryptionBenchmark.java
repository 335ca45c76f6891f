package org.stacktician.bench.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.stacktician.engine.stack.ResourceRecord;
import org.stacktician.engine.stack.ResourceStatus;
import org.stacktician.engine.stack.StackEvent;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.state.EngineDatabase;
import org.stacktician.engine.state.JdbiStateStore;
import org.stacktician.engine.state.StateCipher;
import org.stacktician.engine.state.StateStore;
import org.stacktician.engine.state.StoreKey;

/**
 * What encrypting the state store's secret columns costs, side by side: one resource transition
 * as the engine stores it (a commit of the VM's row with its event, then the stack's rows read
 * back, on in-memory H2) against the AES-GCM work alone for the same row's encrypted columns
 * (properties with 1 KB of userdata, attributes, metadata, callback context, event properties).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class StateEncryptionBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EngineDatabase db;
  private StateStore store;
  private StateCipher cipher;
  private ResourceRecord vm;
  private StackRecord stack;
  private List<String> columns;
  private List<String> sealed;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    db = EngineDatabase.open("jdbc:h2:mem:bench-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", 4, true,
        StoreKey.random("benchmark"));
    store = new JdbiStateStore(db);
    cipher = db.cipher();
    Instant now = Instant.now();
    stack = new StackRecord("arn:bench/" + UUID.randomUUID(), "bench", StackStatus.CREATE_IN_PROGRESS, null, null,
        "{}", List.of(), List.of(), null, false, null, null, now, now, now);
    ObjectNode props = JSON.createObjectNode().put("zoneid", UUID.randomUUID().toString())
        .put("templateid", UUID.randomUUID().toString()).put("serviceofferingid", UUID.randomUUID().toString())
        .put("userdata", Base64.getEncoder().encodeToString("#!/bin/bash\necho configure\n".repeat(28).getBytes()));
    ObjectNode context = JSON.createObjectNode().put("jobId", UUID.randomUUID().toString()).put("polls", 3);
    JsonNode metadata = JSON.readTree("{\"AWS::CloudFormation::Init\":{\"config\":{\"files\":{\"/etc/a.conf\":"
        + "{\"content\":\"password=abc\"}}}}}");
    vm = new ResourceRecord(stack.stackId(), "Vm", "CloudStack::VirtualMachine", "vm-1",
        ResourceStatus.CREATE_IN_PROGRESS, null, List.of(), props,
        Map.of("PrivateIp", JSON.getNodeFactory().textNode("10.1.1.1")), metadata, context, null, null, now, now, now);
    store.createStack(stack, List.of(vm), event(now));
    columns = List.of(JSON.writeValueAsString(props), JSON.writeValueAsString(vm.attributes()),
        JSON.writeValueAsString(metadata), JSON.writeValueAsString(context), props.toString());
    sealed = columns.stream().map(cipher::seal).toList();
  }

  private StackEvent event(Instant at) {
    return new StackEvent(0, UUID.randomUUID().toString(), stack.stackId(), "bench", "Vm", "vm-1",
        "CloudStack::VirtualMachine", at, "CREATE_IN_PROGRESS", null, vm.properties().toString());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    db.close();
  }

  /** One stored transition: the row and its event committed, the stack's rows read back. */
  @Benchmark
  public List<ResourceRecord> storeTransition() {
    store.commit(StateStore.Changes.of(null, List.of(vm), List.of(event(Instant.now()))));
    return store.resources(stack.stackId());
  }

  /** The encryption part of the same transition: its five columns sealed, four opened. */
  @Benchmark
  public int cipherWorkOfATransition() {
    int n = 0;
    for (String c : columns) {
      n += cipher.seal(c).length();
    }
    for (int i = 0; i < 4; i++) {
      n += cipher.open(sealed.get(i)).length();
    }
    return n;
  }
}
