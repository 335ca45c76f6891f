package org.stacktician.server.cfn;

import java.nio.file.Path;
import org.stacktician.server.config.ServerConfig;

/** The AWS SDK and AWS CLI against a server on its embedded H2 file database. */
class AwsClientsTest extends AwsClientsContract {
  @Override
  ServerConfig config(Path dataDir) {
    return new ServerConfig(dataDir, "127.0.0.1", 0, null, null, null, null, null, true);
  }
}
