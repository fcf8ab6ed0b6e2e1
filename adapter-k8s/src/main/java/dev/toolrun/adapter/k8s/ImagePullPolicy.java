package dev.toolrun.adapter.k8s;

/** When the kubelet pulls a workload's image. */
public enum ImagePullPolicy {
  /** Pull on every start. */
  ALWAYS("Always"),
  /** Pull only when the node does not have the image (what a cluster without a registry needs). */
  IF_NOT_PRESENT("IfNotPresent"),
  /** Never pull; the image must be on the node. */
  NEVER("Never");

  private final String kubernetesName;

  ImagePullPolicy(String kubernetesName) {
    this.kubernetesName = kubernetesName;
  }

  /** The value Kubernetes expects in a container's {@code imagePullPolicy}. */
  public String kubernetesName() {
    return kubernetesName;
  }
}
