package dev.toolrun.bench.cluster;

import dev.toolrun.adapter.k8s.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Figure 3, informer memory: toolrun's live heap with many finished Jobs (and their pods) of its
 * own in its namespace, against the same process on the same namespace while still empty.
 *
 * <p>toolrun has no records of these Jobs, so at startup it looks at each one and logs it as an
 * orphan. The heap is read once its log has named every Job, at rest, so the figure is what the
 * caches hold and not the work of the first minute.
 */
final class InformerMemoryFigure {
  private static final Logger LOG = LoggerFactory.getLogger(InformerMemoryFigure.class);
  private static final int HEAP_READINGS = 3;

  private final BenchSettings settings;
  private final Teardown teardown;

  InformerMemoryFigure(BenchSettings settings, Teardown teardown) {
    this.settings = settings;
    this.teardown = teardown;
  }

  /**
   * A heap reading of toolrun on a namespace, and whether its log had named every Job in it by
   * then.
   */
  private record HeapReading(long usedBytes, boolean settled) {}

  ResultLine measure() {
    LocalCluster space = teardown.add(LocalCluster.start());
    int jobs = settings.memoryJobs();
    HeapReading empty = heapOfToolrunOn(space, Set.of(), "empty");
    LOG.info(
        "informer memory: toolrun on an empty namespace uses {} bytes; creating {} finished Jobs",
        empty.usedBytes(),
        jobs);
    Set<String> orphans = FinishedJobs.create(space.admin(), space.namespace(), jobs);
    HeapReading loaded = heapOfToolrunOn(space, orphans, "loaded");
    teardown.closeEarly(space);
    return ResultLine.of("cluster.informer_memory")
        .with("jobs", jobs)
        .with("empty_heap_bytes", empty.usedBytes())
        .with("loaded_heap_bytes", loaded.usedBytes())
        .with("bytes_per_job", Math.round((loaded.usedBytes() - empty.usedBytes()) / (double) jobs))
        .with("settled", loaded.settled());
  }

  /**
   * toolrun's heap on {@code space}, once it has logged each of the {@code orphans} it finds there.
   */
  private HeapReading heapOfToolrunOn(LocalCluster space, Set<String> orphans, String name) {
    Path log = settings.workDirectory().resolve("toolrun-memory-" + name + ".log");
    ToolrunProcess toolrun =
        teardown.add(
            ToolrunProcess.start(
                settings.jar(),
                space.namespace(),
                LocalCluster.RUNNER_CONTEXT,
                settings.tuning().environment(),
                log));
    try {
      boolean settled =
          toolrun.awaitLogMentions(orphans, Duration.ofSeconds(120 + orphans.size() / 5));
      if (!settled) {
        LOG.warn(
            "informer memory: toolrun had not logged all {} Jobs in time; reading its heap anyway"
                + " (see {})",
            orphans.size(),
            log);
      }
      HeapReading reading =
          new HeapReading(HeapProbe.usedBytesAfterFullGc(toolrun.pid(), HEAP_READINGS), settled);
      HeapProbe.writeHistogram(
          toolrun.pid(),
          settings.workDirectory().resolve("toolrun-memory-" + name + ".histogram.txt"));
      return reading;
    } finally {
      teardown.closeEarly(toolrun);
    }
  }
}
