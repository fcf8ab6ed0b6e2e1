package dev.toolrun.adapter.k8s;

import dev.toolrun.adapter.k8s.run.JobStatusMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Mapping a Job and its pods to a state ({@link JobStatusMapper#observe}), which the runtime does
 * on every informer event of an instance, on the Jobs and pods captured from kube-local that
 * JobStatusMapperTest uses (the adapter's test jar ships them).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JobStatusMapperBenchmark {
  /** Long after every fixture was captured, as in JobStatusMapperTest: every grace has passed. */
  private static final Instant LATER = Instant.parse("2026-11-25T05:00:00Z");

  /** A running task, the three ways a run ends, and a Job of several pods. */
  @Param({"running", "succeeded", "exit3", "errimagepull", "parallel"})
  public String scenario;

  private JobStatusMapper mapper;
  private Job job;
  private List<Pod> pods;

  @Setup
  public void setUp() {
    KubernetesConfig defaults = KubernetesConfig.defaults();
    // The graces KubernetesWorkloadRuntime uses by default; its config-error grace is 60 s.
    mapper =
        new JobStatusMapper(
            defaults.imagePullGrace(), defaults.unschedulableGrace(), Duration.ofSeconds(60));
    KubernetesSerialization serialization = new KubernetesSerialization();
    job = load(serialization, "job-" + scenario + ".json", Job.class);
    pods = load(serialization, "pods-" + scenario + ".json", PodList.class).getItems();
  }

  /** Returned as Object, as in JobFactoryBenchmark. */
  @Benchmark
  public Object observe() {
    return mapper.observe(job, pods, LATER);
  }

  private static <T> T load(KubernetesSerialization serialization, String file, Class<T> type) {
    try (InputStream in =
        JobStatusMapperBenchmark.class.getResourceAsStream("run/fixtures/" + file)) {
      if (in == null) {
        throw new IllegalStateException(
            "no fixture " + file + " on the class path (adapter-k8s's test jar)");
      }
      return serialization.unmarshal(in, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
