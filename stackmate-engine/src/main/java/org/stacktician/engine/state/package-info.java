/**
 * Persistence of stacks: the {@link org.stacktician.engine.state.StateStore} interface, its JDBI
 * implementation on H2 or PostgreSQL (Flyway migrations under {@code db/stackmate/}), and the
 * adapters the providers' seams use (signals, the metadata API's resource view, the URL-signing key).
 * Secret columns are encrypted at rest ({@link org.stacktician.engine.state.StateCipher}) with a
 * key kept outside the database ({@link org.stacktician.engine.state.StoreKey}).
 */
package org.stacktician.engine.state;
