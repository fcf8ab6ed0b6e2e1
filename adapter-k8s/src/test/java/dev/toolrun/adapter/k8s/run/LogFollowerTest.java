package dev.toolrun.adapter.k8s.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.inmemory.InMemoryLogStore;
import dev.toolrun.adapter.k8s.ApiRateLimit;
import dev.toolrun.adapter.k8s.client.ApiRateLimiter;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.ports.out.LogPage;
import dev.toolrun.ports.out.LogPage.LogLine;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The follower against a mock API server whose log streams are cut, carry the runtime's errors, or
 * lose lines to a rotation: what is stored is the tool's output, without loss or repetition, and a
 * log that lost lines says so.
 */
@EnableKubernetesMockClient
class LogFollowerTest {
  private static final String NS = "ns";
  private static final String POD = "run-abcde";
  private static final String BASE =
      "/api/v1/namespaces/"
          + NS
          + "/pods/"
          + POD
          + "/log?container=tool&timestamps=true&follow=true";
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  KubernetesMockServer server;
  KubernetesClient client;

  private final InstanceId id = InstanceId.generate(T, new java.util.Random(7));
  private final InMemoryLogStore logs = new InMemoryLogStore();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final AtomicBoolean ended = new AtomicBoolean();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private LogFollower follower() {
    return new LogFollower(
        client,
        NS,
        logs,
        new ApiRateLimiter(ApiRateLimit.DEFAULT),
        scheduler,
        (instance, pod) -> ended.get());
  }

  private static String at(int nanos) {
    return T.plusNanos(nanos).toString();
  }

  private static String line(int nanos, String text) {
    return at(nanos) + " " + text + "\n";
  }

  private static String since(int nanos) {
    return BASE + "&sinceTime=" + at(nanos).replace(":", "%3A");
  }

  private List<String> stored() {
    return logs.read(id, 0, 1000).lines().stream().map(LogLine::text).toList();
  }

  @Test
  void aRuntimeErrorIsNotStoredAndTheStreamResumesWithoutRepeatingALine() {
    server
        .expect()
        .get()
        .withPath(BASE)
        .andReturn(
            200,
            line(1, "one")
                + line(2, "two")
                + "rpc error: code = NotFound desc = an error occurred when try to find container"
                + " \"abc\": not found\n")
        .once();
    ended.set(true);
    server
        .expect()
        .get()
        .withPath(since(2))
        .andReturn(200, line(1, "one") + line(2, "two") + line(3, "three"))
        .once();

    CompletableFuture<Void> done = follower().follow(id, POD, "");

    await().atMost(Duration.ofSeconds(10)).until(done::isDone);
    assertThat(stored()).containsExactly("one", "two", "three");
    assertThat(logs.read(id, 0, 1).missing()).isEmpty();
  }

  @Test
  void aStreamThatEndsBeforeItsContainerIsReopenedAndALostResumePointIsAGap() {
    // The first stream ends by itself while the container runs (as when the kubelet cuts it);
    // when it is reopened, the log was rotated: the lines after "two" that were in the old file
    // are gone, and the log must say so.
    server.expect().get().withPath(BASE).andReturn(200, line(1, "one") + line(2, "two")).once();
    server
        .expect()
        .get()
        .withPath(since(2))
        .andReturn(200, line(9, "nine") + line(10, "ten"))
        .once();
    CompletableFuture<Void> done =
        new LogFollower(
                client,
                NS,
                logs,
                new ApiRateLimiter(ApiRateLimit.DEFAULT),
                scheduler,
                (instance, pod) -> server.getRequestCount() >= 2)
            .follow(id, POD, "");

    await().atMost(Duration.ofSeconds(15)).until(done::isDone);
    assertThat(stored()).containsExactly("one", "two", "nine", "ten");
    assertThat(logs.read(id, 0, 1).missing())
        .hasValueSatisfying(why -> assertThat(why).contains(POD).contains("rotated"));
  }

  @Test
  void aNewFollowerResumesFromTheMarkStoredWithTheLines() {
    // A first toolrun stored two lines with their mark, then died.
    server
        .expect()
        .get()
        .withPath(BASE)
        .andReturn(200, line(1, "one") + line(2, "two") + line(2, "two again"))
        .once();
    ended.set(true);
    await().atMost(Duration.ofSeconds(10)).until(follower().follow(id, POD, "")::isDone);

    // The restarted one is served the whole second again, and more.
    server
        .expect()
        .get()
        .withPath(since(2))
        .andReturn(200, line(1, "one") + line(2, "two") + line(2, "two again") + line(3, "three"))
        .once();
    await().atMost(Duration.ofSeconds(10)).until(follower().follow(id, POD, "")::isDone);

    assertThat(stored()).containsExactly("one", "two", "two again", "three");
    LogPage page = logs.read(id, 0, 1);
    assertThat(page.missing()).isEmpty();
  }

  @Test
  void aStreamThatCannotBeReopenedLeavesAGap() {
    server.expect().get().withPath(BASE).andReturn(200, line(1, "one")).once();
    // The pod is gone before its output was read to the end.
    server.expect().get().withPath(since(1)).andReturn(404, "{}").always();

    CompletableFuture<Void> done = follower().follow(id, POD, "");

    await().atMost(Duration.ofSeconds(30)).until(done::isDone);
    assertThat(stored()).containsExactly("one");
    assertThat(logs.read(id, 0, 1).missing())
        .hasValueSatisfying(why -> assertThat(why).contains("could not read the output"));
  }
}
