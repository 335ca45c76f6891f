package org.stacktician.template.functions;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code Fn::Cidr}: carves {@code count} consecutive subnets with {@code cidrBits} host bits out of
 * an IPv4 or IPv6 block, as CloudFormation does ({@code ["192.168.0.0/24", 6, 5]} gives /27 blocks).
 */
public final class Cidr {
  private Cidr() {}

  /** The subnets, or an exception whose message says which argument is wrong. */
  public static List<String> subnets(String ipBlock, int count, int cidrBits) {
    int slash = ipBlock.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("'" + ipBlock + "' is not a CIDR block such as 10.0.0.0/16");
    }
    String address = ipBlock.substring(0, slash);
    boolean v6 = address.contains(":");
    if (!v6 && !address.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      throw new IllegalArgumentException("'" + ipBlock + "' is not a CIDR block such as 10.0.0.0/16");
    }
    if (v6 && !address.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("'" + ipBlock + "' is not a CIDR block");
    }
    int width = v6 ? 128 : 32;
    int prefix;
    try {
      prefix = Integer.parseInt(ipBlock.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + ipBlock + "' has no valid prefix length");
    }
    if (prefix < 0 || prefix > width) {
      throw new IllegalArgumentException("the prefix length of '" + ipBlock + "' must be between 0 and " + width);
    }
    byte[] bytes;
    try {
      bytes = v6 ? InetAddress.getByName(address).getAddress() : ipv4(address);
    } catch (UnknownHostException | NumberFormatException e) {
      throw new IllegalArgumentException("'" + ipBlock + "' is not a valid IP address block");
    }
    if (bytes.length * 8 != width) {
      throw new IllegalArgumentException("'" + ipBlock + "' is not a valid IP address block");
    }
    if (count < 1 || count > 256) {
      throw new IllegalArgumentException("the count must be between 1 and 256, not " + count);
    }
    if (cidrBits < 1 || cidrBits > width - prefix) {
      throw new IllegalArgumentException("cidrBits must be between 1 and " + (width - prefix) + " for '" + ipBlock
          + "', not " + cidrBits);
    }
    int available = width - prefix - cidrBits;
    if (available < 63 && BigInteger.ONE.shiftLeft(available).compareTo(BigInteger.valueOf(count)) < 0) {
      throw new IllegalArgumentException("'" + ipBlock + "' holds only " + (1L << available) + " subnets of /"
          + (width - cidrBits) + ", not " + count);
    }
    BigInteger base = new BigInteger(1, bytes);
    BigInteger hostMask = BigInteger.ONE.shiftLeft(width - prefix).subtract(BigInteger.ONE);
    base = base.andNot(hostMask);
    BigInteger step = BigInteger.ONE.shiftLeft(cidrBits);
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      BigInteger net = base.add(step.multiply(BigInteger.valueOf(i)));
      out.add(format(net, width) + "/" + (width - cidrBits));
    }
    return out;
  }

  private static byte[] ipv4(String address) throws UnknownHostException {
    String[] parts = address.split("\\.");
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      int octet = Integer.parseInt(parts[i]);
      if (octet > 255) {
        throw new UnknownHostException(address);
      }
      bytes[i] = (byte) octet;
    }
    return bytes;
  }

  private static String format(BigInteger value, int width) {
    byte[] raw = value.toByteArray();
    byte[] bytes = new byte[width / 8];
    int copy = Math.min(raw.length, bytes.length);
    System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
    if (width == 32) {
      return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 16; i += 2) {
      if (i > 0) {
        sb.append(':');
      }
      sb.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)));
    }
    return compressV6(sb.toString());
  }

  private static String compressV6(String full) {
    String[] groups = full.split(":");
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < groups.length; ) {
      if (groups[i].equals("0")) {
        int j = i;
        while (j < groups.length && groups[j].equals("0")) {
          j++;
        }
        if (j - i > bestLen && j - i > 1) {
          bestStart = i;
          bestLen = j - i;
        }
        i = j;
      } else {
        i++;
      }
    }
    if (bestStart < 0) {
      return full;
    }
    String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
    String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLen, groups.length));
    return head + "::" + tail;
  }
}
