/**
 * The resource-provider contract: {@link org.stacktician.engine.provider.ResourceProvider}s
 * supply {@link org.stacktician.engine.provider.ResourceHandler}s whose short calls return
 * {@link org.stacktician.engine.provider.ProgressEvent}s. See ARCHITECTURE.md, "The
 * resource-provider contract".
 */
package org.stacktician.engine.provider;
