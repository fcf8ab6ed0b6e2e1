/**
 * Benchmark drivers: each measures toolrun next to its baseline in the same run and prints one
 * result line per figure; {@code bench/run} runs them all and prints the table.
 */
package dev.toolrun.bench;
