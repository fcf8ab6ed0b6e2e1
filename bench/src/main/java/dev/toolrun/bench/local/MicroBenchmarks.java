package dev.toolrun.bench.local;

import dev.toolrun.adapter.k8s.JobFactoryBenchmark;
import dev.toolrun.adapter.k8s.JobStatusMapperBenchmark;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the JMH benchmarks of the hot pure functions (building a launch's Kubernetes objects,
 * mapping a Job's status) and prints one {@code RESULT jmh.<function>.<method>.<parameter>} line
 * each: the average time per call, and the bytes it allocates (from JMH's GC profiler), which a
 * busy machine does not blur. JMH's own report goes to standard error.
 *
 * <p>Usage: {@code MicroBenchmarks [JMH options]}, e.g. {@code -wi 3 -i 5 -f 1 -w 1s -r 1s}.
 */
public final class MicroBenchmarks {
  private static final List<Class<?>> BENCHMARKS =
      List.of(JobFactoryBenchmark.class, JobStatusMapperBenchmark.class);
  private static final String ALLOCATED_PER_OP = "gc.alloc.rate.norm";

  private MicroBenchmarks() {}

  public static void main(String[] args) throws CommandLineOptionException, RunnerException {
    OptionsBuilder options = new OptionsBuilder();
    options.parent(new CommandLineOptions(args));
    BENCHMARKS.forEach(type -> options.include("^" + Pattern.quote(type.getName()) + "\\."));
    options.addProfiler(GCProfiler.class);
    Collection<RunResult> results =
        new Runner(
                options.build(),
                OutputFormatFactory.createFormatInstance(System.err, VerboseMode.NORMAL))
            .run();
    for (RunResult result : results) {
      System.out.println(line(result));
    }
  }

  private static ResultLine line(RunResult result) {
    BenchmarkParams params = result.getParams();
    Result<?> score = result.getPrimaryResult();
    // dev.toolrun.adapter.k8s.JobFactoryBenchmark.desired: function JobFactory, method desired
    String[] names = params.getBenchmark().split("\\.");
    String function = names[names.length - 2].replaceFirst("Benchmark$", "");
    String method = names[names.length - 1];
    String parameters =
        params.getParamsKeys().stream().map(params::getParam).collect(Collectors.joining("."));
    Result<?> allocated = result.getSecondaryResults().get(ALLOCATED_PER_OP);
    if (allocated == null) {
      throw new IllegalStateException("JMH's GC profiler reported no " + ALLOCATED_PER_OP);
    }
    String figure =
        "jmh." + function + "." + method + (parameters.isEmpty() ? "" : "." + parameters);
    return new ResultLine(figure)
        .with("score", score.getScore())
        .with("error", score.getScoreError())
        .with("unit", score.getScoreUnit())
        .with("alloc_bytes_per_op", Math.round(allocated.getScore()))
        .with("samples", score.getSampleCount());
  }
}
