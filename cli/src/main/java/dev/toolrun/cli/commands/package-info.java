/** The commands: one class each, on an {@code ApiCommand} base that gives them the server. */
package dev.toolrun.cli.commands;
