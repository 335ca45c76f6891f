package org.stacktician.cli.template;

/** The {@code --output} choices of the template commands. */
public enum OutputFormat { text, json }
