package org.stacktician.cloudstack.simulator.config;

/**
 * Capacity of the simulated cloud; a create beyond it fails with 533 (insufficient capacity).
 * Null means unlimited (public IPs are always bounded by the zone's address range).
 */
public record Capacity(Integer virtualMachines, Integer publicIpAddresses, Integer volumes) {
  public static final Capacity UNLIMITED = new Capacity(null, null, null);

  public Capacity {
    for (Integer v : new Integer[] {virtualMachines, publicIpAddresses, volumes}) {
      if (v != null && v < 0) {
        throw new IllegalArgumentException("capacity limits must not be negative, got " + v);
      }
    }
  }
}
