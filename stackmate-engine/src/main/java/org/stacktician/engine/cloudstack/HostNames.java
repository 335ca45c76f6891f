package org.stacktician.engine.cloudstack;

/** Virtual machine names: CloudStack uses a VM's name as its host name. */
public final class HostNames {
  private HostNames() {}

  /** A valid host name made from {@code raw} (other characters become hyphens), or null when none can be. */
  public static String from(String raw) {
    String n = raw.replaceAll("[^A-Za-z0-9-]", "-").replaceAll("-+", "-").replaceAll("^-|-$", "");
    if (n.length() > 63) {
      n = n.substring(0, 63).replaceAll("-$", "");
    }
    return n.isEmpty() || !Character.isLetter(n.charAt(0)) ? null : n;
  }

  /** True for a valid host name: letters, digits and hyphens, starting with a letter, at most 63 characters. */
  public static boolean isValid(String name) {
    return name != null && name.equals(from(name));
  }
}
