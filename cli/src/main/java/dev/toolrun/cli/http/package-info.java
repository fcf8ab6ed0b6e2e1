/** The client of toolrun's REST API, and the two ways a call fails: an error answer, or none. */
package dev.toolrun.cli.http;
