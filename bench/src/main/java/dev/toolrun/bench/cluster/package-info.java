/**
 * The cluster figures: toolrun on the local Kubernetes cluster against what the cluster itself
 * does, measured in the same run. {@code bench/cluster} runs {@link ClusterBench} and documents its
 * output lines.
 */
package dev.toolrun.bench.cluster;
