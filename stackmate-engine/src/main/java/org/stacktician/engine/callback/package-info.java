/**
 * The HTTP listener guests and custom-resource services call back to: signed URLs, signals, custom-resource responses, the metadata API.
 */
package org.stacktician.engine.callback;
