package dev.toolrun.bench.cluster;

import dev.toolrun.adapter.k8s.LocalCluster;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster figures of the benchmark suite, on kube-local, each printed as one {@link
 * ResultLine}. {@code bench/cluster} builds, brings the cluster up and runs this; it documents the
 * settings and the output. Every namespace and process made here is removed at the end, also when
 * stopped early.
 */
public final class ClusterBench {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterBench.class);

  private ClusterBench() {}

  public static void main(String[] args) {
    BenchSettings settings = BenchSettings.fromEnvironment(System.getenv());
    Teardown teardown = new Teardown();
    Runtime.getRuntime().addShutdownHook(new Thread(teardown::close, "bench-teardown"));
    int status = 0;
    try {
      run(settings, teardown);
    } catch (RuntimeException e) {
      LOG.error("the cluster benchmark failed", e);
      status = 1;
    } finally {
      teardown.close();
    }
    // fabric8's and the HTTP client's threads must not keep the driver alive.
    System.exit(status);
  }

  private static void run(BenchSettings settings, Teardown teardown) {
    ResultLine.of("cluster.settings")
        .with("max_tasks", settings.tuning().maxTasks())
        .with("api_qps", settings.tuning().apiQps())
        .with("api_burst", settings.tuning().apiBurst())
        .with("node_max_pods", nodeMaxPods())
        .with("cpus", Runtime.getRuntime().availableProcessors())
        .print();
    if (settings.figures().contains(Figure.LATENCY)
        || settings.figures().contains(Figure.THROUGHPUT)) {
      runAgainstToolrun(settings, teardown);
    }
    if (settings.figures().contains(Figure.MEMORY)) {
      new InformerMemoryFigure(settings, teardown).measure().print();
    }
    if (settings.figures().contains(Figure.CLIENT)) {
      new HttpClientFigure(settings, teardown).measure().print();
    }
  }

  /** Figures 1 and 2 share one toolrun, warm after the first, and one watch on its namespace. */
  private static void runAgainstToolrun(BenchSettings settings, Teardown teardown) {
    LocalCluster space = teardown.add(LocalCluster.start());
    TerminalEventWatch watch =
        teardown.add(TerminalEventWatch.start(space.admin(), space.namespace()));
    ToolrunProcess toolrun =
        teardown.add(
            ToolrunProcess.start(
                settings.jar(),
                space.namespace(),
                LocalCluster.RUNNER_CONTEXT,
                settings.tuning().environment(),
                settings.workDirectory().resolve("toolrun.log")));
    LOG.info("{} runs in namespace {}; its log is {}", toolrun, space.namespace(), toolrun.log());
    ToolrunApi api = new ToolrunApi(toolrun.port());
    api.register(TrivialRun.TOOL, TrivialRun.toolDefinition());
    if (settings.figures().contains(Figure.LATENCY)) {
      new StatusLatencyFigure(api, watch, settings.latencyRuns(), settings.latencyBatch())
          .measure()
          .print();
    }
    if (settings.figures().contains(Figure.THROUGHPUT)) {
      LocalCluster baselineSpace = teardown.add(LocalCluster.start());
      NamespaceDrain.awaitEmpty(
          space.admin(), space.namespace(), ThroughputFigure.patience(settings.latencyBatch()));
      new ThroughputFigure(
              settings,
              new ToolrunSide(api, watch, space.admin(), space.namespace()),
              new BaselineSide(
                  new Kubectl(LocalCluster.ADMIN_CONTEXT),
                  baselineSpace.admin(),
                  baselineSpace.namespace(),
                  settings.workDirectory()))
          .measure()
          .forEach(ResultLine::print);
    }
  }

  /** The node's pod capacity: both sides share it, and above it runs wait for a free slot. */
  private static String nodeMaxPods() {
    try (KubernetesClient admin =
        new KubernetesClientBuilder()
            .withConfig(Config.autoConfigure(LocalCluster.ADMIN_CONTEXT))
            .build()) {
      return admin.nodes().list().getItems().stream()
          .map(node -> node.getStatus().getCapacity().get("pods").toString())
          .reduce((a, b) -> a + "," + b)
          .orElse("unknown");
    }
  }
}
