package org.stacktician.engine.execution;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.stacktician.cloudstack.simulator.faults.CommandFaults;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.LocalEngine;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.testing.SimulatedCloud;

/**
 * A NoEcho value that a template puts into an ordinary API parameter never reaches the logs, not
 * even at TRACE, nor the events when the call fails.
 */
class NoEchoInLogsTest {
  static final String SECRET = "TopSecret-4711";
  static final String TEMPLATE = """
      {"Parameters": {"Secret": {"Type": "String", "NoEcho": true}},
       "Resources": {
         "Sg": {"Type": "CloudStack::SecurityGroup",
                "Properties": {"name": "sg", "description": {"Fn::Sub": "pw=${Secret}"}}}}}
      """;

  @TempDir Path dir;
  SimulatedCloud cloud;
  LocalEngine local;
  final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  Level rootLevel;

  @BeforeEach
  void start() {
    rootLevel = root.getLevel();
    root.setLevel(Level.TRACE);
    logs.start();
    root.addAppender(logs);
    cloud = new SimulatedCloud();
    local = cloud.engine(dir);
  }

  @AfterEach
  void stop() {
    local.close();
    cloud.close();
    root.detachAppender(logs);
    root.setLevel(rootLevel);
  }

  private List<String> messages() {
    List<ILoggingEvent> events;
    synchronized (logs) { // AppenderBase appends under the appender's lock, from the engine's threads
      events = List.copyOf(logs.list);
    }
    return events.stream().map(e -> e.getFormattedMessage()
        + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage())).toList();
  }

  @Test
  void theSecretIsMaskedInEveryLogLine() throws Exception {
    StackRecord s = local.engine().createStack(CreateStackRequest.of("noecho", TEMPLATE, Map.of("Secret", SECRET)));
    StackRecord done = local.engine().awaitSettled(s.stackId(), Duration.ofSeconds(60));
    assertThat(done.status()).isEqualTo(StackStatus.CREATE_COMPLETE);

    assertThat(messages()).as("the create was logged").anySatisfy(m -> assertThat(m).contains("createSecurityGroup")
        .contains("pw=****"));
    assertThat(messages()).noneSatisfy(m -> assertThat(m).contains(SECRET));
  }

  @Test
  void andInTheEventsAndLogsOfAFailedCall() throws Exception {
    cloud.simulator.knobs().faults("createSecurityGroup", CommandFaults.dropNth(1, false));
    StackRecord s = local.engine().createStack(CreateStackRequest.of("noecho2", TEMPLATE, Map.of("Secret", SECRET)));
    StackRecord done = local.engine().awaitSettled(s.stackId(), Duration.ofSeconds(60));
    assertThat(done.status()).isIn(StackStatus.ROLLBACK_COMPLETE, StackStatus.ROLLBACK_FAILED);

    assertThat(local.engine().events(done.stackId(), 0)).anySatisfy(e -> assertThat(e.status()).isEqualTo("CREATE_FAILED"))
        .noneSatisfy(e -> assertThat(String.valueOf(e.statusReason())).contains(SECRET));
    assertThat(messages()).noneSatisfy(m -> assertThat(m).contains(SECRET));
  }
}
