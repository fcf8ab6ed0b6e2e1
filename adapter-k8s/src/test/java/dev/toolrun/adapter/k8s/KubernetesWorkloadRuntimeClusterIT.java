package dev.toolrun.adapter.k8s;

import dev.toolrun.adapter.inmemory.InMemoryLogStore;
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
    KubernetesWorkloadRuntime runtime =
        new KubernetesWorkloadRuntime(
            cluster.runner(), KubernetesConfig.localCluster().inNamespace(cluster.namespace()), logs, Clock.systemUTC());
    runtime.observe(listener);
    return runtime;
  }

  @Override
  protected void stopRuntime(WorkloadRuntime runtime) {
    ((KubernetesWorkloadRuntime) runtime).close();
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
    return ToolSpec.task(new ContainerImage(BUSYBOX, List.of("sh", "-c", script), List.of())).build();
  }

  @Override
  protected ToolSpec succeedingTask(String resultJson) {
    return ToolSpec.task(
            new ContainerImage(
                BUSYBOX,
                List.of("sh", "-c", "echo hello; printf '%s' \"$0\" > \"$TOOLRUN_RESULT_FILE\"", resultJson),
                List.of()))
        .build();
  }

  @Override
  protected ToolSpec failingTask(int exitCode) {
    return shell("echo failing; exit " + exitCode);
  }

  @Override
  protected ToolSpec endlessTaskWithShortTimeout() {
    return ToolSpec.task(new ContainerImage(BUSYBOX, List.of("sh", "-c", "echo waiting; sleep 3600"), List.of()))
        .timeout(Duration.ofSeconds(4))
        .build();
  }

  @Override
  protected ToolSpec unpullableTask() {
    return ToolSpec.task(ContainerImage.of("kube-local.test/does-not-exist:1")).build();
  }
}
