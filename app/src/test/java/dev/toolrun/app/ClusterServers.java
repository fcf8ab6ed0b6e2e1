package dev.toolrun.app;

import dev.toolrun.adapter.k8s.LocalCluster;
import dev.toolrun.app.config.ConfigLoader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real app, wired as {@code java -jar} wires it, on a namespace of the local cluster, acting as
 * the unprivileged runner user with only toolrun's Role, on a free loopback port.
 */
final class ClusterServers {
  private ClusterServers() {}

  /** A server not yet started; {@code token} is the REST API's bearer token. */
  static ToolrunServer on(LocalCluster cluster, String token) {
    return on(cluster, token, Map.of());
  }

  /** The same, with the settings of {@code extra} (environment variables) on top. */
  static ToolrunServer on(LocalCluster cluster, String token, Map<String, String> extra) {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "TOOLRUN_RUNTIME", "kubernetes",
                "TOOLRUN_KUBERNETES_PROFILE", "local-cluster",
                "TOOLRUN_KUBERNETES_NAMESPACE", cluster.namespace(),
                "TOOLRUN_KUBERNETES_CONTEXT", LocalCluster.RUNNER_CONTEXT,
                "TOOLRUN_HTTP_HOST", "127.0.0.1",
                "TOOLRUN_HTTP_PORT", "0",
                "TOOLRUN_AUTH_TOKEN", token));
    env.putAll(extra);
    return Main.createServer(new ConfigLoader().load(List.of(), env));
  }
}
