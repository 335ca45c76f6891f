package org.stacktician.engine.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stacktician.cloudstack.client.CloudStackClient;
import org.stacktician.cloudstack.client.catalog.ResourceTypeCatalog;
import org.stacktician.cloudstack.simulator.CloudStackSimulator;
import org.stacktician.engine.CreateStackRequest;
import org.stacktician.engine.StackEngine;
import org.stacktician.engine.stack.StackRecord;
import org.stacktician.engine.stack.StackStatus;
import org.stacktician.engine.state.EngineDatabase;

/** One engine with a {@link CloudResolver} runs each stack in its own account's cloud (as the server does). */
class CloudResolverTest {
  private static final String TEMPLATE = """
      {"Resources": {"Sg": {"Type": "CloudStack::SecurityGroup",
                            "Properties": {"name": {"Fn::Sub": "${AWS::StackName}-sg"}}}}}
      """;

  @TempDir Path dir;

  @Test
  void eachStackRunsInItsAccountsCloud() throws Exception {
    try (CloudStackSimulator sim = CloudStackSimulator.start();
        CloudStackClient first = CloudStackClient.builder().endpoint(sim.endpoint())
            .credentials(sim.credentials()).build();
        CloudStackClient second = CloudStackClient.builder().endpoint(sim.endpoint())
            .credentials(new org.stacktician.cloudstack.client.Credentials(sim.accounts().get(1).credentials().apiKey(),
                sim.accounts().get(1).credentials().secretKey())).build()) {
      Map<String, CloudStackClient> clients = Map.of("acct:first", first, "acct:second", second);
      CloudResolver resolver = new CloudResolver() {
        @Override
        public String engineKey() {
          return "test-engine";
        }

        @Override
        public CloudStackClient client(String accountKey) {
          return clients.get(accountKey);
        }
      };
      ProviderContext ctx = ProviderContext.builder().resourceTypes(ResourceTypeCatalog.derive(first.discover()))
          .service(CloudResolver.class, resolver).build();
      try (StackEngine engine = StackEngine.builder().database(EngineDatabase.h2File(dir)).providerContext(ctx).build()) {
        engine.start();
        StackRecord a = engine.createStack(new CreateStackRequest("in-first", TEMPLATE, "t", Map.of(), false, null,
            "acct:first"));
        StackRecord b = engine.createStack(new CreateStackRequest("in-second", TEMPLATE, "t", Map.of(), false, null,
            "acct:second"));
        assertThat(engine.awaitSettled(a.stackId(), Duration.ofSeconds(60)).status()).isEqualTo(StackStatus.CREATE_COMPLETE);
        assertThat(engine.awaitSettled(b.stackId(), Duration.ofSeconds(60)).status()).isEqualTo(StackStatus.CREATE_COMPLETE);
        Map<String, String> accounts = new java.util.TreeMap<>();
        sim.inventory().created().stream().filter(i -> i.kind().equals("SECURITY_GROUP"))
            .forEach(i -> accounts.put(i.name(), i.account()));
        assertThat(accounts).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(
            "in-first-sg", sim.accounts().get(0).name(), "in-second-sg", sim.accounts().get(1).name())));
        assertThat(engine.inThisCloud(engine.describeStack("in-second").orElseThrow())).isTrue();
      }
    }
  }
}
