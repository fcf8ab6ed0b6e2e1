package dev.toolrun.adapter.k8s.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.adapter.k8s.ApiRequestCounter;
import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.client.KubernetesCluster;
import dev.toolrun.domain.error.ConflictException;
import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.domain.instance.IdempotencyKey;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.Parameters;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Launches are accepted side by side: a record's create (an API round trip, made slow here) is not
 * made under the lock that guards ids and idempotency keys, and two launches with one key still
 * yield one instance. On fabric8's mock API server, with an interceptor that holds creates.
 */
@EnableKubernetesMockClient(crud = true)
class ConcurrentLaunchesTest {
  private static final String NAMESPACE = "records";
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  KubernetesMockServer server;
  private final ApiRequestCounter counter = new ApiRequestCounter();
  private final SlowCreates slowCreates = new SlowCreates();
  private final ExecutorService callers = Executors.newCachedThreadPool();
  private KubernetesClient client;
  private KubernetesCluster cluster;
  private KubernetesInstanceRepository instances;

  /** Holds each record create on the caller's thread until {@link #open} lets it go. */
  private static final class SlowCreates implements Interceptor {
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger mostInFlight = new AtomicInteger();
    volatile CountDownLatch open = new CountDownLatch(0);
    volatile CountDownLatch arrived = new CountDownLatch(0);

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
      if (!request.method().equals("POST") || !request.uri().getPath().endsWith("/configmaps")) {
        return;
      }
      mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      arrived.countDown();
      try {
        open.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        inFlight.decrementAndGet();
      }
    }
  }

  @BeforeEach
  void connect() {
    client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(server.createClient().getConfiguration())
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .withHttpClientBuilderConsumer(
                b ->
                    b.addOrReplaceInterceptor("count", counter)
                        .addOrReplaceInterceptor("slow", slowCreates))
            .build();
    cluster = KubernetesCluster.using(client, KubernetesConfig.defaults().inNamespace(NAMESPACE));
    instances = new KubernetesInstanceRepository(cluster);
    instances.find(id(0)); // starts the informer before anything is counted
    counter.reset();
  }

  @AfterEach
  void close() {
    slowCreates.open.countDown();
    callers.shutdownNow();
    instances.close();
    cluster.close();
    client.close();
  }

  private static InstanceId id(int n) {
    return new InstanceId("0193a9b2-7c1d-7aaa-8bbb-%012d".formatted(n));
  }

  private static Instance launch(int n, Optional<String> key) {
    return Instance.launch(
        id(n),
        GoldenRecords.tools().get("tool-v2-image-task-defaults"),
        Parameters.NONE,
        Set.of(),
        key.map(k -> new IdempotencyKey(k, "same-request")),
        GoldenRecords.T0);
  }

  private Future<?> add(Instance instance) {
    return callers.submit(() -> instances.add(instance));
  }

  private long creates() {
    return counter.snapshot().getOrDefault("create configmaps", 0L);
  }

  @Test
  void launchesWithDifferentKeysAreStoredSideBySide() throws Exception {
    int launches = 4;
    slowCreates.open = new CountDownLatch(1);
    slowCreates.arrived = new CountDownLatch(launches);
    List<Future<?>> added = new ArrayList<>();
    for (int n = 1; n <= launches; n++) {
      added.add(add(launch(n, n % 2 == 0 ? Optional.of("key-" + n) : Optional.empty())));
    }

    // Every create is in flight at once: none waits for another's round trip.
    assertThat(slowCreates.arrived.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
        .as("all %d creates in flight at once (most seen: %s)", launches, slowCreates.mostInFlight)
        .isTrue();
    assertThat(slowCreates.mostInFlight).hasValue(launches);
    slowCreates.open.countDown();
    for (Future<?> f : added) {
      f.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    for (int n = 1; n <= launches; n++) {
      assertThat(instances.find(id(n))).isPresent();
    }
    assertThat(instances.findByIdempotencyKey("key-2")).map(Instance::id).contains(id(2));
    assertThat(creates()).as("one create per launch, as before").isEqualTo(launches);
  }

  @Test
  void twoLaunchesWithOneKeyYieldOneInstance() throws Exception {
    slowCreates.open = new CountDownLatch(1);
    slowCreates.arrived = new CountDownLatch(1);
    Future<?> first = add(launch(1, Optional.of("same")));
    assertThat(slowCreates.arrived.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    Future<?> second = add(launch(2, Optional.of("same")));

    slowCreates.open.countDown();
    first.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);

    assertThatThrownBy(() -> second.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
        .hasCauseInstanceOf(ConflictException.class)
        .hasMessageContaining("idempotency key 'same' belongs to instance " + id(1));
    assertThat(instances.findByIdempotencyKey("same")).map(Instance::id).contains(id(1));
    assertThat(instances.find(id(2))).isEmpty();
    assertThat(creates()).as("the second launch sent nothing").isEqualTo(1);
  }

  @Test
  void aKeyWhoseRecordCouldNotBeStoredIsFreeAgain() throws Exception {
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/" + NAMESPACE + "/configmaps")
        .andReturn(503, "etcd is unavailable")
        .once();
    slowCreates.open = new CountDownLatch(1);
    slowCreates.arrived = new CountDownLatch(1);
    Future<?> first = add(launch(1, Optional.of("retried")));
    assertThat(slowCreates.arrived.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    Future<?> second = add(launch(2, Optional.of("retried")));

    slowCreates.open.countDown();

    assertThatThrownBy(() -> first.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
        .hasCauseInstanceOf(RuntimeUnavailableException.class);
    second.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(instances.findByIdempotencyKey("retried")).map(Instance::id).contains(id(2));
    assertThat(instances.find(id(1))).isEmpty();
    assertThat(creates()).isEqualTo(2);
  }
}
