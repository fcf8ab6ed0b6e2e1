package dev.toolrun.adapter.k8s;

/** How toolrun reaches the HTTP port of a service instance's pod. */
public enum ServiceAccess {
  /**
   * Through the API server's pod proxy ({@code /api/v1/namespaces/NS/pods/POD:PORT/proxy/}): works
   * from outside the cluster, and needs the {@code pods/proxy} permission.
   */
  API_SERVER_PROXY,
  /** Straight to the pod's IP: only when toolrun runs inside the cluster network. */
  DIRECT
}
