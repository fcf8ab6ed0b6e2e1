package dev.toolrun.bench.cluster;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one run of the cluster benchmarks measures. {@code bench/cluster} documents the environment
 * variables {@link #fromEnvironment} reads; {@code BENCH_QUICK=1} shrinks every default.
 *
 * @param latencyRuns measured runs of the latency figure
 * @param latencyBatch runs launched at once in the latency figure, few enough not to queue
 * @param sizes the N of the throughput figure
 * @param rounds rounds per side for sizes up to {@link #LARGE_SIZE}
 * @param largeRounds rounds per side for larger sizes, which take minutes each
 * @param memoryJobs finished Jobs in the namespace of the memory figure
 * @param jar toolrun's jar
 * @param workDirectory where toolrun's logs and the baseline's manifests go
 */
record BenchSettings(
    Set<Figure> figures,
    int latencyRuns,
    int latencyBatch,
    List<Integer> sizes,
    int rounds,
    int largeRounds,
    int memoryJobs,
    ToolrunTuning tuning,
    Path jar,
    Path workDirectory) {

  /** Sizes above this run {@link #largeRounds} rounds. */
  static final int LARGE_SIZE = 100;

  BenchSettings {
    figures = Set.copyOf(requireNonNull(figures, "figures is null"));
    sizes = List.copyOf(requireNonNull(sizes, "sizes is null"));
    requireNonNull(tuning, "tuning is null");
    requireNonNull(jar, "jar is null");
    requireNonNull(workDirectory, "workDirectory is null");
    if (latencyRuns < 1
        || latencyBatch < 1
        || rounds < 1
        || largeRounds < 1
        || memoryJobs < 1
        || sizes.isEmpty()
        || sizes.stream().anyMatch(n -> n < 1)) {
      throw new IllegalArgumentException("every count must be positive: " + this);
    }
  }

  static BenchSettings fromEnvironment(Map<String, String> env) {
    boolean quick = "1".equals(env.get("BENCH_QUICK"));
    Set<Figure> figures =
        Arrays.stream(
                env.getOrDefault("BENCH_FIGURES", "latency,throughput,memory,client").split(","))
            .map(Figure::named)
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(Figure.class)));
    return new BenchSettings(
        figures,
        integer(env, "BENCH_LATENCY_RUNS", quick ? 30 : 100),
        integer(env, "BENCH_LATENCY_BATCH", 10),
        Arrays.stream(env.getOrDefault("BENCH_SIZES", quick ? "10,100" : "10,100,500").split(","))
            .map(s -> Integer.parseInt(s.trim()))
            .toList(),
        integer(env, "BENCH_ROUNDS", quick ? 1 : 3),
        integer(env, "BENCH_LARGE_ROUNDS", 1),
        integer(env, "BENCH_MEMORY_JOBS", quick ? 200 : 1000),
        new ToolrunTuning(
            integer(env, "BENCH_MAX_TASKS", 1000),
            Double.parseDouble(env.getOrDefault("BENCH_API_QPS", "500")),
            integer(env, "BENCH_API_BURST", 1000)),
        Path.of(env.getOrDefault("BENCH_TOOLRUN_JAR", "app/target/toolrun.jar")),
        Path.of(env.getOrDefault("BENCH_WORK_DIR", "bench/target/cluster")));
  }

  int roundsFor(int size) {
    return size > LARGE_SIZE ? largeRounds : rounds;
  }

  private static int integer(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    try {
      return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'", e);
    }
  }
}
