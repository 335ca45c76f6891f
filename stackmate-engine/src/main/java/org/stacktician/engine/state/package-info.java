/**
 * Persistence of stacks: the {@link org.stacktician.engine.state.StateStore} interface, its JDBI
 * implementation on H2 or PostgreSQL (Flyway migrations under {@code db/stackmate/}), and the
 * adapters the providers' seams use (signals, the metadata API's resource view, the URL-signing key).
 */
package org.stacktician.engine.state;
