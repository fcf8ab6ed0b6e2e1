package dev.toolrun.adapter.k8s;

/**
 * Where toolrun keeps its records of tools and instances ({@code kubernetes.records}): ConfigMaps,
 * which need nothing installed in the cluster, or its own custom resources, Tool and ToolRun
 * (deploy/crds/, installed by the cluster administrator), which {@code kubectl get tools,toolruns}
 * shows and which own each run's Job.
 */
public enum RecordStore {
  CONFIG_MAPS,
  RESOURCES
}
