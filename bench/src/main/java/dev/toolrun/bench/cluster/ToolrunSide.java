package dev.toolrun.bench.cluster;

import dev.toolrun.domain.instance.InstanceState;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * toolrun's side of the throughput figure: N launches sent at once through its HTTP API, done when
 * the watch has seen every instance's record reach a terminal state. Its cleanup policy (ALWAYS)
 * removes the Jobs and pods after that, on toolrun's time, not the figure's.
 */
final class ToolrunSide implements ThroughputSide {
  private final ToolrunApi api;
  private final TerminalEventWatch watch;
  private final KubernetesClient admin;
  private final String namespace;

  ToolrunSide(ToolrunApi api, TerminalEventWatch watch, KubernetesClient admin, String namespace) {
    this.api = api;
    this.watch = watch;
    this.admin = admin;
    this.namespace = namespace;
  }

  @Override
  public String name() {
    return "toolrun";
  }

  @Override
  public BatchOutcome run(int n, String batch) {
    long start = System.nanoTime();
    AtomicLong submitted = new AtomicLong();
    CompletableFuture<List<TerminalEventWatch.RecordEnd>> ended =
        api.launchAll(TrivialRun.TOOL, n)
            .whenComplete((ids, failure) -> submitted.set(System.nanoTime()))
            .thenCompose(
                ids -> {
                  List<CompletableFuture<TerminalEventWatch.RecordEnd>> ends =
                      ids.stream().map(watch::recordEnd).toList();
                  return CompletableFuture.allOf(ends.toArray(CompletableFuture[]::new))
                      .thenApply(done -> ends.stream().map(CompletableFuture::join).toList());
                });
    List<TerminalEventWatch.RecordEnd> ends =
        Await.within(ThroughputFigure.patience(n), n + " toolrun runs to end", ended);
    long last = ends.stream().mapToLong(e -> e.arrival().nanoTime()).max().orElseThrow();
    long notSucceeded = ends.stream().filter(e -> e.state() != InstanceState.SUCCEEDED).count();
    return new BatchOutcome(
        Duration.ofNanos(last - start), Duration.ofNanos(submitted.get() - start), notSucceeded);
  }

  @Override
  public void clear(int n) {
    NamespaceDrain.awaitEmpty(admin, namespace, ThroughputFigure.patience(n));
  }
}
