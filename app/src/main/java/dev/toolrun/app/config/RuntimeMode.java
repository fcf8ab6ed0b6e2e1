package dev.toolrun.app.config;

/** Where instances run; chosen once, at startup. */
public enum RuntimeMode {
  /** In this process, simulated: the embedded default, needs no cluster. */
  IN_MEMORY,
  /** As Jobs on a Kubernetes cluster. */
  KUBERNETES
}
