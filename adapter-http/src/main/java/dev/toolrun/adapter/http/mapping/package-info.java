/**
 * Mapping between the JSON shapes of {@code dto} and the use cases' commands, queries and results:
 * one mapper per resource, and one per part of a tool's spec. Reading reports every violation at
 * once; {@link JsonCodec} is the adapter's only JSON mapper.
 */
package dev.toolrun.adapter.http.mapping;
