/** JSON and YAML documents: the configured mappers and the reading of the user's files. */
package dev.toolrun.cli.json;
