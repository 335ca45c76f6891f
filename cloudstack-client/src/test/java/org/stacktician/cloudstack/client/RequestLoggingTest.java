package org.stacktician.cloudstack.client;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.stacktician.cloudstack.client.LoopbackCloudStack.Answer;

/** Requests are logged at debug level with their parameters, secrets masked. */
class RequestLoggingTest {

  @Test
  void debugLogShowsParametersButNoSecrets() throws IOException {
    Logger logger = (Logger) LoggerFactory.getLogger(CloudStackClient.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    Level before = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    try (LoopbackCloudStack cloud = LoopbackCloudStack.start();
        CloudStackClient client = cloud.clientBuilder().build()) {
      cloud.on("deployVirtualMachine", Answer.ok("{\"deployvirtualmachineresponse\":{\"id\":\"vm\",\"jobid\":\"j\"}}"));
      client.submit("deployVirtualMachine", ApiParams.create().put("zoneid", "zone-1")
          .putUserData("userdata", "password=hunter2").put("password", "hunter2").build());
    } finally {
      logger.detachAppender(appender);
      logger.setLevel(before);
    }
    List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("POST deployVirtualMachine", "zoneid=zone-1",
        "password=" + Redaction.MASK, "userdata=" + Redaction.MASK));
    assertThat(String.join("\n", lines)).doesNotContain("hunter2", LoopbackCloudStack.SECRET_KEY,
        LoopbackCloudStack.API_KEY, "cGFzc3dvcmQ9aHVudGVyMg");
  }

  @Test
  void aMaskingViewHidesGivenValuesInLogsAndErrorsAndClosesNothing() throws IOException {
    Logger logger = (Logger) LoggerFactory.getLogger(CloudStackClient.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    Level before = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    try (LoopbackCloudStack cloud = LoopbackCloudStack.start();
        CloudStackClient client = cloud.clientBuilder().build()) {
      cloud.on("createSecurityGroup", Answer.status(431, "{\"createsecuritygroupresponse\":{\"errorcode\":431,"
          + "\"errortext\":\"bad description pw=s3cr3t-and-more\"}}"));
      CloudStackClient masked = client.masking(List.of("s3cr3t", "s3cr3t-and-more"));
      assertThat(masked.masking(List.of("s3cr3t"))).as("nothing new to mask: the same view").isSameAs(masked);
      var error = org.assertj.core.api.Assertions.catchThrowableOfType(CloudStackApiException.class,
          () -> masked.call("createSecurityGroup", Map.of("name", "sg", "description", "pw=s3cr3t-and-more")));
      assertThat(error.getMessage()).doesNotContain("s3cr3t").contains("pw=" + Redaction.MASK);
      masked.close(); // a view: the client's connections stay open
      cloud.on("listZones", Answer.ok("{\"listzonesresponse\":{}}"));
      assertThat(client.list("listZones", Map.of())).isEmpty();
    } finally {
      logger.detachAppender(appender);
      logger.setLevel(before);
    }
    List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("createSecurityGroup", "description=pw=" + Redaction.MASK));
    assertThat(String.join("\n", lines)).doesNotContain("s3cr3t");
  }
}
