package dev.toolrun.adapter.k8s.run;

import dev.toolrun.adapter.inmemory.InMemoryLogStore;
import dev.toolrun.adapter.k8s.KubernetesAdapter;
import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.LocalCluster;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.in.RecordRunProgressUseCase;
import dev.toolrun.ports.out.LogStore;
import dev.toolrun.ports.out.WorkloadRuntime;
import dev.toolrun.ports.out.WorkloadRuntimeContractTest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The runtime contract on a real cluster, as the unprivileged runner with toolrun's Role. */
class KubernetesWorkloadRuntimeClusterIT extends WorkloadRuntimeContractTest {
  private static final String BUSYBOX = "kube-local.test/busybox:1";
  private static LocalCluster cluster;
  private LogStore logs;
  private KubernetesAdapter kubernetes;

  @BeforeAll
  static void startCluster() {
    cluster = LocalCluster.start();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Override
  protected WorkloadRuntime startRuntime(RecordRunProgressUseCase listener) {
    logs = new InMemoryLogStore();
    KubernetesConfig config = KubernetesConfig.localCluster().inNamespace(cluster.namespace());
    kubernetes = KubernetesAdapter.using(cluster.runner(), config, logs, Clock.systemUTC());
    WorkloadRuntime runtime = kubernetes.runtime();
    runtime.observe(listener);
    return runtime;
  }

  @Override
  protected void stopRuntime(WorkloadRuntime runtime) {
    kubernetes.close();
  }

  @Override
  protected LogStore logs() {
    return logs;
  }

  @Override
  protected Duration patience() {
    return Duration.ofSeconds(60);
  }

  private static ToolSpec shell(String script) {
    return ToolSpec.task(new ContainerImage(BUSYBOX, List.of("sh", "-c", script), List.of()))
        .build();
  }

  @Override
  protected ToolSpec succeedingTask(String resultJson) {
    return ToolSpec.task(
            new ContainerImage(
                BUSYBOX,
                List.of(
                    "sh",
                    "-c",
                    "echo hello; printf '%s' \"$0\" > \"$TOOLRUN_RESULT_FILE\"",
                    resultJson),
                List.of()))
        .build();
  }

  @Override
  protected ToolSpec failingTask(int exitCode) {
    return shell("echo failing; exit " + exitCode);
  }

  @Override
  protected ToolSpec endlessTaskWithShortTimeout() {
    return ToolSpec.task(
            new ContainerImage(BUSYBOX, List.of("sh", "-c", "echo waiting; sleep 3600"), List.of()))
        .timeout(Duration.ofSeconds(4))
        .build();
  }

  @Override
  protected ToolSpec unpullableTask() {
    return ToolSpec.task(ContainerImage.of("kube-local.test/does-not-exist:1")).build();
  }

  /** A small HTTP service on the python standard library: /health and an echo. */
  static final String ECHO_SERVER =
      String.join(
          "\n",
          "import http.server",
          "class Handler(http.server.BaseHTTPRequestHandler):",
          "    def answer(self, status, body):",
          "        self.send_response(status)",
          "        self.send_header('Content-Type', 'text/plain')",
          "        self.send_header('Content-Length', str(len(body)))",
          "        self.end_headers()",
          "        self.wfile.write(body)",
          "    def do_GET(self):",
          "        self.answer(200 if self.path == '/health' else 404, b'UP' if self.path =="
              + " '/health' else b'no such path')",
          "    def do_POST(self):",
          "        length = int(self.headers.get('Content-Length') or 0)",
          "        self.answer(200, self.rfile.read(length))",
          "print('serving on', " + SERVICE_PORT + ", flush=True)",
          "http.server.ThreadingHTTPServer(('', " + SERVICE_PORT + "), Handler).serve_forever()",
          "");

  @Override
  protected ToolSpec echoService() {
    return ToolSpec.service(
            dev.toolrun.domain.tool.Script.of(
                dev.toolrun.domain.tool.ScriptLanguage.PYTHON, ECHO_SERVER),
            dev.toolrun.domain.tool.ServiceSettings.http(SERVICE_PORT))
        .build();
  }
}
