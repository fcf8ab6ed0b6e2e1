package dev.toolrun.adapter.k8s;

import dev.toolrun.adapter.k8s.job.JobFactory;
import dev.toolrun.ports.out.Launch;
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
 * Building an instance's Kubernetes objects ({@link JobFactory#desired}), which every launch on a
 * cluster does once, from the launches JobFactoryTest pins to golden YAML: a script tool that uses
 * nearly every setting, and an image tool with the defaults.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JobFactoryBenchmark {
  @Param({"everything", "plain-image"})
  public String tool;

  private JobFactory factory;
  private Launch launch;

  @Setup
  public void setUp() {
    factory = new JobFactory(KubernetesConfig.localCluster(), true);
    launch =
        switch (tool) {
          case "everything" -> Launches.everything();
          case "plain-image" ->
              Launches.image("kube-local.test/busybox:1", List.of("sh", "-c", "echo hello"));
          default -> throw new IllegalArgumentException("no launch named " + tool);
        };
  }

  /** Returned as Object: JMH consumes it, and its own code cannot see the package's types. */
  @Benchmark
  public Object desired() {
    return factory.desired(launch);
  }
}
