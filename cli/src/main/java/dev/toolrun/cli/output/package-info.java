/** Output: tables and details for people, the server's JSON as JSON or YAML for scripts. */
package dev.toolrun.cli.output;
