/** The Stacktician service: HTTP surfaces, persistence, auth and scale-out (a later issue fills it in). */
package org.stacktician.server;
