package org.stacktician.cloudstack.simulator.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.atomic.AtomicBoolean;
import org.stacktician.cloudstack.simulator.cloud.Account;

/** One async job; its mutable fields are written once, under the cloud's lock, when it finishes. */
public final class AsyncJob {
  /** CloudStack's job states as {@code jobstatus} numbers. */
  public static final int PENDING = 0;
  public static final int SUCCEEDED = 1;
  public static final int FAILED = 2;

  final String id;
  final Account account;
  final String command;
  final String cmdClass;
  final String instanceType;
  final String instanceId;
  final String created;
  /** The job's effect; dropped once it has run, so a kept finished job holds only its result. */
  volatile JobWork work;
  final AtomicBoolean started = new AtomicBoolean();
  volatile long dueAtMillis;
  volatile int status = PENDING;
  volatile int resultCode;
  volatile ObjectNode result;
  volatile String completed;

  AsyncJob(String id, Account account, String command, String cmdClass, String instanceType, String instanceId,
      String created, JobWork work) {
    this.id = id;
    this.account = account;
    this.command = command;
    this.cmdClass = cmdClass;
    this.instanceType = instanceType;
    this.instanceId = instanceId;
    this.created = created;
    this.work = work;
  }

  public String id() {
    return id;
  }

  public String command() {
    return command;
  }

  public Account account() {
    return account;
  }

  public int status() {
    return status;
  }

  public String instanceId() {
    return instanceId;
  }
}
