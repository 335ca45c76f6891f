package org.stacktician.cloudstack.simulator.commands;

import static org.stacktician.cloudstack.simulator.cloud.ResourceKind.SSH_KEY_PAIR;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.HexFormat;
import org.stacktician.cloudstack.simulator.cloud.CloudState;
import org.stacktician.cloudstack.simulator.cloud.Resource;
import org.stacktician.cloudstack.simulator.http.ApiException;
import org.stacktician.cloudstack.simulator.http.Envelopes;

/** SSH key pairs: create (a real RSA key, private key returned once), register, delete by name, list. */
public final class KeyPairCommands implements CommandGroup {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  @Override
  public void register(CommandRegistry r) {
    r.register("createSSHKeyPair", "ssh.CreateSSHKeyPairCmd", this::create);
    r.register("registerSSHKeyPair", "ssh.RegisterSSHKeyPairCmd", this::registerKey);
    r.register("deleteSSHKeyPair", "ssh.DeleteSSHKeyPairCmd", this::delete);
    r.register("listSSHKeyPairs", "ssh.ListSSHKeyPairsCmd", ctx -> Lists.list(ctx, SSH_KEY_PAIR, "sshkeypair",
        k -> Lists.matches(ctx, k, "fingerprint", "fingerprint")));
  }

  private void requireUnique(CommandContext ctx, String name) {
    for (Resource k : ctx.state().list(SSH_KEY_PAIR, ctx.account())) {
      if (name.equals(k.name())) {
        throw ApiException.invalidParameterValue("A key pair with name '" + name + "' already exists.");
      }
    }
  }

  private CommandOutcome create(CommandContext ctx) {
    String name = ctx.params().get("name");
    requireUnique(ctx, name);
    KeyPair pair;
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
      gen.initialize(2048);
      pair = gen.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw ApiException.internal("RSA key generation is unavailable");
    }
    byte[] blob = sshRsaBlob((RSAPublicKey) pair.getPublic());
    Resource key = store(ctx, name, blob);
    ObjectNode out = ctx.state().render(key);
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----";
    out.put("privatekey", pem);
    return new CommandOutcome.Sync(Lists.wrap("keypair", out));
  }

  private CommandOutcome registerKey(CommandContext ctx) {
    String name = ctx.params().get("name");
    requireUnique(ctx, name);
    String[] parts = ctx.params().get("publickey").strip().split("\\s+");
    byte[] blob;
    try {
      if (parts.length < 2 || !parts[0].startsWith("ssh-") && !parts[0].startsWith("ecdsa-")) {
        throw new IllegalArgumentException("no key type");
      }
      blob = Base64.getDecoder().decode(parts[1]);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidParameterValue("Public key is invalid");
    }
    Resource key = store(ctx, name, blob);
    key.hidden().put("publickey", ctx.params().get("publickey"));
    return new CommandOutcome.Sync(Lists.wrap("keypair", ctx.state().render(key)));
  }

  private Resource store(CommandContext ctx, String name, byte[] blob) {
    ObjectNode v = JSON.objectNode();
    v.put("name", name);
    CloudState.owner(v, ctx.account());
    v.put("fingerprint", fingerprint(blob));
    v.put("hasannotations", false);
    return ctx.state().add(SSH_KEY_PAIR, ctx.state().newId(), ctx.account(), v, false);
  }

  private CommandOutcome delete(CommandContext ctx) {
    String name = ctx.params().get("name");
    Resource key = ctx.state().list(SSH_KEY_PAIR, ctx.account()).stream().filter(k -> name.equals(k.name())).findFirst()
        .orElseThrow(() -> ApiException.invalidParameterValue("A key pair with name '" + name
            + "' does not exist for account " + ctx.account().name() + " in specified domain id"));
    ctx.state().remove(key);
    return new CommandOutcome.Sync(Envelopes.success());
  }

  /** The MD5 fingerprint CloudStack shows (colon-separated hex of the key blob's digest). */
  static String fingerprint(byte[] blob) {
    try {
      byte[] md5 = MessageDigest.getInstance("MD5").digest(blob);
      return HexFormat.ofDelimiter(":").formatHex(md5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] sshRsaBlob(RSAPublicKey key) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      writeBytes(out, "ssh-rsa".getBytes(StandardCharsets.US_ASCII));
      writeBytes(out, key.getPublicExponent().toByteArray());
      writeBytes(out, key.getModulus().toByteArray());
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }
}
