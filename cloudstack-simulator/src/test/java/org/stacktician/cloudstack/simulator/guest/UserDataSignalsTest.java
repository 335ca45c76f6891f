package org.stacktician.cloudstack.simulator.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which signals a boot script would send. */
class UserDataSignalsTest {
  private static final String URL = "http://127.0.0.1:4567//waitcondition/20130425-0706-kerujere-punopapa/WaitHandle";

  @Test
  void lampSampleSignalsSuccessOnceAndSkipsTheErrorFunction() {
    String script = """
        #!/bin/bash -v
        yum update -y aws-cfn-bootstrap
        # Helper function
        function error_exit
        {
          /opt/aws/bin/cfn-signal -e 1 -r "$1" '%s'
          exit 1
        }
        /opt/aws/bin/cfn-init -s stack -r WebServer --region r || error_exit 'Failed to run cfn-init'
        # All is well so signal success
        /opt/aws/bin/cfn-signal -e 0 -r "LAMP Stack setup complete" '%s'
        """.formatted(URL, URL);
    List<WaitConditionSignal> signals = UserDataSignals.find(script, "vm-1");
    assertThat(signals).hasSize(1);
    assertThat(signals.get(0).url().toString()).isEqualTo(URL);
    assertThat(signals.get(0).success()).isTrue();
    assertThat(signals.get(0).body()).isEqualTo(
        "{\"Status\":\"SUCCESS\",\"Reason\":\"LAMP Stack setup complete\",\"Data\":\"\",\"UniqueId\":\"vm-1\"}");
  }

  @Test
  void nonZeroExitCodeOrSuccessFalseSendsFailure() {
    assertThat(UserDataSignals.find("cfn-signal -e 3 '" + URL + "'", "i").get(0).body())
        .contains("\"Status\":\"FAILURE\"").contains("Configuration failed.");
    assertThat(UserDataSignals.find("cfn-signal -s false -r broken -d detail -i me " + URL, "i").get(0).body())
        .isEqualTo("{\"Status\":\"FAILURE\",\"Reason\":\"broken\",\"Data\":\"detail\",\"UniqueId\":\"me\"}");
    assertThat(UserDataSignals.find("cfn-signal --success=true " + URL, "i").get(0).success()).isTrue();
  }

  @Test
  void windowsScriptsBase64UrlsVariablesAndCurl() {
    String windows = "<script>\r\ncfn-init.exe -v -s s -r DC\r\nif %ERRORLEVEL% NEQ 0 cfn-signal -e %ERRORLEVEL% \"" + URL
        + "\"\r\ncfn-signal.exe -e 0 \"" + URL + "\"\r\n</script>";
    assertThat(UserDataSignals.find(windows, "i")).singleElement().satisfies(s -> assertThat(s.success()).isTrue());
    String encodedUrl = Base64.getEncoder().encodeToString(URL.getBytes(StandardCharsets.UTF_8));
    assertThat(UserDataSignals.find("cfn-signal -e 0 " + encodedUrl, "i").get(0).url().toString()).isEqualTo(URL);
    assertThat(UserDataSignals.find("HANDLE='" + URL + "'\ncfn-signal -e $? \"$HANDLE\"", "i").get(0).url().toString()).isEqualTo(URL);
    WaitConditionSignal curl = UserDataSignals.find("curl -s -X PUT -H 'Content-Type:' --data-binary "
        + "'{\"Status\":\"SUCCESS\",\"Reason\":\"ok\",\"UniqueId\":\"u\",\"Data\":\"d\"}' \"" + URL + "\"", "i").get(0);
    assertThat(curl.body()).contains("\"Reason\":\"ok\"");
    assertThat(UserDataSignals.find("curl -s " + URL, "i")).as("a GET is not a signal").isEmpty();
    String wholeScriptEncoded = Base64.getEncoder().encodeToString(("cfn-signal -e 0 " + URL).getBytes(StandardCharsets.UTF_8));
    assertThat(UserDataSignals.find(wholeScriptEncoded, "i")).hasSize(1);
    assertThat(UserDataSignals.find("make || cfn-signal -e 1 " + URL, "i")).isEmpty();
  }

  @Test
  void onlyLoopbackUrlsAreCalled() {
    assertThat(GuestEmulator.loopback(java.net.URI.create("http://127.0.0.1:80/x"))).isTrue();
    assertThat(GuestEmulator.loopback(java.net.URI.create("http://localhost/x"))).isTrue();
    assertThat(GuestEmulator.loopback(java.net.URI.create("http://[::1]:8/x"))).isTrue();
    assertThat(GuestEmulator.loopback(java.net.URI.create("http://10.0.0.1/x"))).isFalse();
    assertThat(GuestEmulator.loopback(java.net.URI.create("http://example.com/x"))).isFalse();
  }
}
