/**
 * The local figures: drivers that need no cluster (the bare Vert.x baseline server, startup, memory
 * per instance record, the JMH runner), each printing its figure as one {@code RESULT} line; {@code
 * bench/local} runs them and documents the line format.
 */
package dev.toolrun.bench.local;
