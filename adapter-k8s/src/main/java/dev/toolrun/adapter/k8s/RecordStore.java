package dev.toolrun.adapter.k8s;

/**
 * Where toolrun keeps its records of tools and instances ({@code kubernetes.records}): its own
 * custom resources, Tool and ToolRun (the default; deploy/crds/, installed by the cluster
 * administrator), which {@code kubectl get tools,toolruns} shows and which own each run's Job, or
 * ConfigMaps, which need nothing installed in the cluster but write access to every ConfigMap of
 * the namespace (deploy/configmap-records/, a Role of its own).
 */
public enum RecordStore {
  CONFIG_MAPS,
  RESOURCES
}
