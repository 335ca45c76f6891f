package org.stacktician.cloudstack.simulator.commands;

import org.stacktician.cloudstack.simulator.api.CommandCatalog;
import org.stacktician.cloudstack.simulator.config.SimulatorConfig;
import org.stacktician.cloudstack.simulator.guest.GuestEmulator;
import org.stacktician.cloudstack.simulator.jobs.AsyncJobs;

/** The parts of a running simulator that handlers use besides the cloud itself. */
public record SimulatorServices(CommandCatalog catalog, AsyncJobs jobs, GuestEmulator guests, SimulatorConfig config) {}
