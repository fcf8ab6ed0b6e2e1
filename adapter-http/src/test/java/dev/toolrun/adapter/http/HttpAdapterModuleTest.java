package dev.toolrun.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Stage;
import dev.toolrun.adapter.inmemory.InMemoryInstanceRepository;
import dev.toolrun.adapter.inmemory.InMemoryLogStore;
import dev.toolrun.adapter.inmemory.InMemoryRuntimeConfig;
import dev.toolrun.adapter.inmemory.InMemoryToolRepository;
import dev.toolrun.adapter.inmemory.InMemoryWorkloadRuntime;
import dev.toolrun.application.Capacity;
import dev.toolrun.application.Toolrun;
import dev.toolrun.ports.in.CancelInstanceUseCase;
import dev.toolrun.ports.in.CheckReadinessUseCase;
import dev.toolrun.ports.in.DeleteToolUseCase;
import dev.toolrun.ports.in.DescribeRuntimeUseCase;
import dev.toolrun.ports.in.ExecuteRequestUseCase;
import dev.toolrun.ports.in.GetInstanceLogsUseCase;
import dev.toolrun.ports.in.GetInstanceUseCase;
import dev.toolrun.ports.in.GetToolUseCase;
import dev.toolrun.ports.in.LaunchInstanceUseCase;
import dev.toolrun.ports.in.ListInstancesUseCase;
import dev.toolrun.ports.in.ListToolVersionsUseCase;
import dev.toolrun.ports.in.ListToolsUseCase;
import dev.toolrun.ports.in.RegisterToolUseCase;
import dev.toolrun.ports.in.StopInstanceUseCase;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HttpAdapterModuleTest {
  private static final Module STRICT =
      binder -> {
        binder.requireExplicitBindings();
        binder.disableCircularProxies();
        binder.requireExactBindingAnnotations();
      };

  @Test
  void aStrictInjectorBuildsAWorkingApiFromTheUseCasesAndVertx() throws Exception {
    Vertx vertx = Vertx.vertx();
    ScheduledExecutorService executor = Executors.newScheduledThreadPool(1);
    try {
      Toolrun application = application(executor);
      Injector injector =
          Guice.createInjector(
              Stage.PRODUCTION,
              STRICT,
              new HttpAdapterModule(
                  new HttpConfig("127.0.0.1", 0, Authentication.bearer(TestApi.TOKEN))),
              appBindings(vertx, application));
      HttpApi api = injector.getInstance(HttpApi.class);

      assertThat(injector.getInstance(HttpApi.class)).isSameAs(api);
      int port = api.start();
      try {
        HttpResponse<String> ready =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        ContractCoverage.record("GET", "/health/ready", ready.statusCode());
        assertThat(ready.statusCode()).isEqualTo(200);
      } finally {
        api.stop();
      }
    } finally {
      executor.shutdownNow();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theModuleCreatesNoVertxOfItsOwn() {
    assertThatThrownBy(
            () ->
                Guice.createInjector(
                    Stage.PRODUCTION,
                    STRICT,
                    new HttpAdapterModule(
                        new HttpConfig("127.0.0.1", 0, Authentication.anonymous()))))
        .isInstanceOf(CreationException.class)
        .hasMessageContaining("Vertx")
        .hasMessageContaining("RegisterToolUseCase");
  }

  private static Toolrun application(ScheduledExecutorService executor) {
    InMemoryLogStore logs = new InMemoryLogStore();
    return Toolrun.builder()
        .tools(new InMemoryToolRepository())
        .instances(new InMemoryInstanceRepository())
        .logs(logs)
        .runtime(
            new InMemoryWorkloadRuntime(logs, InMemoryRuntimeConfig.instant(), Clock.systemUTC()))
        .capacity(Capacity.DEFAULT)
        .executor(executor)
        .clock(Clock.systemUTC())
        .random(new SecureRandom())
        .build();
  }

  // What the app's own modules provide.
  private static Module appBindings(Vertx vertx, Toolrun application) {
    return new AbstractModule() {
      @Override
      protected void configure() {
        bind(Vertx.class).toInstance(vertx);
        bind(RegisterToolUseCase.class).toInstance(application.registerTool());
        bind(GetToolUseCase.class).toInstance(application.getTool());
        bind(ListToolVersionsUseCase.class).toInstance(application.listToolVersions());
        bind(ListToolsUseCase.class).toInstance(application.listTools());
        bind(DeleteToolUseCase.class).toInstance(application.deleteTool());
        bind(LaunchInstanceUseCase.class).toInstance(application.launchInstance());
        bind(GetInstanceUseCase.class).toInstance(application.getInstance());
        bind(ListInstancesUseCase.class).toInstance(application.listInstances());
        bind(CancelInstanceUseCase.class).toInstance(application.cancelInstance());
        bind(StopInstanceUseCase.class).toInstance(application.stopInstance());
        bind(ExecuteRequestUseCase.class).toInstance(application.executeRequest());
        bind(GetInstanceLogsUseCase.class).toInstance(application.getInstanceLogs());
        bind(dev.toolrun.ports.in.FollowInstanceLogsUseCase.class)
            .toInstance(application.followInstanceLogs());
        bind(dev.toolrun.ports.in.WatchInstancesUseCase.class)
            .toInstance(application.watchInstances());
        bind(DescribeRuntimeUseCase.class).toInstance(application.describeRuntime());
        bind(dev.toolrun.ports.in.ResizePoolUseCase.class).toInstance(application.resizePool());
        bind(CheckReadinessUseCase.class).toInstance(application.checkReadiness());
      }
    };
  }
}
