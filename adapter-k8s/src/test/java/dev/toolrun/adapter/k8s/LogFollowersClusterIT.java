package dev.toolrun.adapter.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.application.Toolrun;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.instance.SecretValues;
import dev.toolrun.domain.tool.CleanupPolicy;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.in.FollowInstanceLogsUseCase.FollowInstanceLogsQuery;
import dev.toolrun.ports.in.FollowInstanceLogsUseCase.LogChunk;
import dev.toolrun.ports.in.FollowInstanceLogsUseCase.LogEnd;
import dev.toolrun.ports.in.FollowInstanceLogsUseCase.LogFollow;
import dev.toolrun.ports.in.LaunchInstanceUseCase.LaunchInstanceCommand;
import dev.toolrun.ports.in.RegisterToolUseCase.RegisterToolCommand;
import dev.toolrun.ports.out.LogPage.LogLine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ten followers of one run's log, on a real cluster: each gets every line, in order, and the end of
 * the run, while toolrun's client opens one pod log stream for the run (the API request counter of
 * {@link ApiRequestBudgetClusterIT}): followers read the log store, which one stream fills.
 */
class LogFollowersClusterIT {
  private static final int FOLLOWERS = 10;
  private static final int LINES = 3000;
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  private CountedToolrun toolrun;
  private ApiRequestCounter counter;
  private Toolrun app;

  @BeforeEach
  void start() {
    toolrun = CountedToolrun.start();
    counter = toolrun.counter;
    app = toolrun.app;
  }

  @AfterEach
  void stop() {
    toolrun.close();
  }

  @Test
  void tenFollowersOfOneRunCostOnePodLogStream() throws Exception {
    ToolName tool = new ToolName("followed");
    // Lines over about three seconds, so that the followers follow a log that grows.
    String script =
        "i=0; while [ $i -lt "
            + LINES
            + " ]; do echo line-$i; i=$((i+1));"
            + " [ $((i % 300)) -eq 0 ] && sleep 0.3; done; printf '{}' > \"$TOOLRUN_RESULT_FILE\"";
    app.registerTool()
        .register(
            new RegisterToolCommand(
                tool,
                "prints lines",
                ToolSpec.task(
                        new ContainerImage(
                            "kube-local.test/busybox:1", List.of("sh", "-c", script), List.of()))
                    .cleanupPolicy(CleanupPolicy.ALWAYS)
                    .build()));
    counter.reset();

    InstanceId id =
        app.launchInstance()
            .launch(
                new LaunchInstanceCommand(
                    tool,
                    Optional.empty(),
                    new Parameters(Map.of()),
                    SecretValues.NONE,
                    Optional.empty()))
            .view()
            .instance()
            .id();
    List<CompletableFuture<Followed>> followers = new ArrayList<>();
    for (int i = 0; i < FOLLOWERS; i++) {
      followers.add(follow(app.followInstanceLogs().follow(new FollowInstanceLogsQuery(id, 0))));
    }

    List<String> expected = IntStream.range(0, LINES).mapToObj(i -> "line-" + i).toList();
    for (CompletableFuture<Followed> follower : followers) {
      Followed followed = follower.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertThat(followed.lines()).isEqualTo(expected);
      assertThat(followed.end().state()).isEqualTo(InstanceState.SUCCEEDED);
      assertThat(followed.end().complete()).isTrue();
    }
    long streams = counter.snapshot().getOrDefault("get pods/log", 0L);
    System.out.printf(
        "RESULT logs.pod_log_streams followers=%d lines=%d streams=%d target=streams==1%n",
        FOLLOWERS, LINES, streams);
    assertThat(streams).as("pod log streams, from %s", counter.sent()).isEqualTo(1);
  }

  private record Followed(List<String> lines, LogEnd end) {}

  /** Reads {@code follow} to its end, batch after batch, off the test's thread. */
  private static CompletableFuture<Followed> follow(LogFollow follow) {
    CompletableFuture<Followed> done = new CompletableFuture<>();
    List<String> lines = new ArrayList<>();
    read(follow, lines, done);
    return done;
  }

  private static void read(LogFollow follow, List<String> lines, CompletableFuture<Followed> done) {
    follow
        .next(500)
        .whenComplete(
            (LogChunk chunk, Throwable failure) -> {
              if (failure != null) {
                done.completeExceptionally(failure);
                return;
              }
              chunk.lines().stream().map(LogLine::text).forEach(lines::add);
              if (chunk.end().isPresent()) {
                done.complete(new Followed(lines, chunk.end().get()));
              } else {
                read(follow, lines, done);
              }
            });
  }
}
