/**
 * The toolrun command line, a client of toolrun's REST API and nothing else: {@code commands},
 * {@code http} (the client), {@code output} (tables, JSON, YAML), {@code config} (URL and token),
 * {@code json} (documents).
 */
package dev.toolrun.cli;
