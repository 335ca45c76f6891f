package org.stacktician.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.stacktician.cli.Main;
import org.stacktician.cli.StackmateCommand;
import picocli.CommandLine;

/** {@code stackmate demo}: the README's run command works end to end on the embedded simulator. */
class DemoCommandTest {
  @Test
  void createsTheSampleStreamsEventsDeletesItAndLeavesNothing() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.newCommandLine(new StackmateCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));

    int exit = cl.execute("demo");

    String text = out.toString();
    assertThat(exit).as(text + err).isZero();
    assertThat(text).contains("SIMULATED")
        .contains("WebServersReady").contains("AWS::CloudFormation::WaitCondition")
        .containsSubsequence("demo  ", "CREATE_IN_PROGRESS", "WebServer1", "CREATE_COMPLETE", "Stack demo: CREATE_COMPLETE")
        .contains("Web1URL").contains("web-1-ready").contains("AdminPassword    ****")
        .contains("Stack demo: DELETE_COMPLETE")
        .contains("Nothing is left");
    assertThat(text + err).doesNotContain("demo-secret-42");
  }

  @Test
  void printsTheBundledTemplate() {
    StringWriter out = new StringWriter();
    CommandLine cl = Main.newCommandLine(new StackmateCommand());
    cl.setOut(new PrintWriter(out));
    assertThat(cl.execute("demo", "--print-template")).isZero();
    assertThat(out.toString()).contains("CloudStack::VirtualMachine").contains("AWS::CloudFormation::WaitCondition");
  }
}
