package dev.toolrun.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.adapter.http.routes.RuntimeRoutes;
import dev.toolrun.adapter.inmemory.InMemoryInstanceRepository;
import dev.toolrun.adapter.inmemory.InMemoryLogStore;
import dev.toolrun.adapter.inmemory.InMemoryRuntimeConfig;
import dev.toolrun.adapter.inmemory.InMemoryToolRepository;
import dev.toolrun.adapter.inmemory.InMemoryWorkloadRuntime;
import dev.toolrun.application.Capacity;
import dev.toolrun.application.Toolrun;
import dev.toolrun.ports.in.DescribeRuntimeUseCase.RuntimeDescription;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What becomes of a bug in a use case, through a runtime route whose use case is a stub. The
 * domain's own failures are mapped by {@code ErrorMappingTest}, and produced by each operation that
 * meets them in the other tests (the stores' in {@link OperationsTest}).
 */
class FailureMappingTest {
  private static final AtomicReference<Supplier<RuntimeDescription>> DESCRIBE =
      new AtomicReference<>();

  private static Vertx vertx;
  private static ScheduledExecutorService executor;
  private static HttpApi api;
  private static String base;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    executor = Executors.newScheduledThreadPool(1);
    InMemoryLogStore logs = new InMemoryLogStore();
    Toolrun application =
        Toolrun.builder()
            .tools(new InMemoryToolRepository())
            .instances(new InMemoryInstanceRepository())
            .logs(logs)
            .runtime(
                new InMemoryWorkloadRuntime(
                    logs, InMemoryRuntimeConfig.instant(), Clock.systemUTC()))
            .capacity(Capacity.DEFAULT)
            .executor(executor)
            .clock(Clock.systemUTC())
            .random(new SecureRandom())
            .build();
    api =
        TestApi.custom(
            vertx,
            new RuntimeRoutes(() -> DESCRIBE.get().get(), application.resizePool()),
            application);
    base = "http://127.0.0.1:" + api.start();
  }

  @AfterAll
  static void stop() throws Exception {
    api.stop();
    executor.shutdownNow();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static HttpResponse<String> capabilities() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/v1/runtime/capabilities"))
            .header("Authorization", "Bearer " + TestApi.TOKEN)
            .build();
    HttpResponse<String> response =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(request, HttpResponse.BodyHandlers.ofString());
    ContractCoverage.record("GET", "/v1/runtime/capabilities", response.statusCode());
    return response;
  }

  @Test
  void aBugIsAnInternalErrorThatLeaksNothing() throws Exception {
    DESCRIBE.set(
        () -> {
          throw new IllegalStateException("connection string jdbc://admin:hunter2@db");
        });

    HttpResponse<String> r = capabilities();

    assertThat(r.statusCode()).isEqualTo(500);
    JsonObject error = new JsonObject(r.body());
    assertThat(error.getString("code")).isEqualTo("INTERNAL_ERROR");
    assertThat(error.getString("message")).contains("reference");
    assertThat(r.body()).doesNotContain("hunter2", "IllegalStateException", "at dev.");
  }
}
