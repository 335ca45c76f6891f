package org.stacktician.engine.provider;

/** Why a handler failed, after CloudFormation's handler error codes. */
public enum ErrorCode {
  /** The properties are wrong (missing required, wrong type, unknown value); retrying will not help. */
  INVALID_REQUEST,
  /** The cloud refused the credentials or the caller may not do this. */
  ACCESS_DENIED,
  /** The resource does not exist (a delete treats this as done). */
  NOT_FOUND,
  /** A resource of that name or identity already exists. */
  ALREADY_EXISTS,
  /** The resource is still used by something else (e.g. a security group with VMs). */
  RESOURCE_CONFLICT,
  /** A quota or capacity is exhausted. */
  SERVICE_LIMIT_EXCEEDED,
  /** The cloud failed; the message carries its error code and text. */
  SERVICE_INTERNAL_ERROR,
  /** The cloud could not be reached or did not answer. */
  NETWORK_FAILURE,
  /** The operation ran out of time. */
  TIMEOUT,
  /**
   * A lookup cannot tell yet whether the resource exists: the cloud is still working on it or on what holds it (a
   * job running on a security group whose rule is looked up, say). The engine looks it up again a little later.
   */
  NOT_STABILIZED,
  /** The property change needs a replacement, not an in-place update. */
  NOT_UPDATABLE,
  /** A wait condition received a FAILURE signal, or a custom resource answered FAILED. */
  SIGNAL_FAILURE,
  /** Anything else. */
  GENERAL_SERVICE_EXCEPTION
}
