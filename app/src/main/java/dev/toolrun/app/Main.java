package dev.toolrun.app;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import dev.toolrun.adapter.http.Authentication;
import dev.toolrun.adapter.http.HttpAdapterModule;
import dev.toolrun.adapter.http.HttpApi;
import dev.toolrun.adapter.http.HttpMetrics;
import dev.toolrun.adapter.http.ToolRegistrations;
import dev.toolrun.adapter.inmemory.InMemoryAdapter;
import dev.toolrun.adapter.inmemory.InMemoryAdapterModule;
import dev.toolrun.adapter.inmemory.InMemoryLogStoreModule;
import dev.toolrun.adapter.jsonschema.JsonSchemaAdapterModule;
import dev.toolrun.adapter.k8s.KubernetesAdapter;
import dev.toolrun.adapter.k8s.KubernetesAdapterModule;
import dev.toolrun.adapter.k8s.KubernetesDoor;
import dev.toolrun.adapter.k8s.KubernetesLeaderElection;
import dev.toolrun.adapter.k8s.PodRoleLabel;
import dev.toolrun.adapter.logfile.FileLogStore;
import dev.toolrun.adapter.logfile.FileLogStoreModule;
import dev.toolrun.adapter.mcp.McpAdapterModule;
import dev.toolrun.adapter.mcp.McpConfig;
import dev.toolrun.adapter.mcp.McpEndpoint;
import dev.toolrun.adapter.metrics.MetricsAdapter;
import dev.toolrun.adapter.metrics.MetricsAdapterModule;
import dev.toolrun.app.config.ConfigException;
import dev.toolrun.app.config.ConfigLoader;
import dev.toolrun.app.config.Observability;
import dev.toolrun.app.config.ToolrunConfig;
import dev.toolrun.app.leader.WriterRole;
import dev.toolrun.app.logging.JsonLogs;
import dev.toolrun.application.LiveLogs;
import dev.toolrun.application.Toolrun;
import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.domain.error.ToolrunException;
import dev.toolrun.ports.out.LogStore;
import io.vertx.core.Vertx;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** Starts toolrun: reads the configuration, picks the runtime once, wires, serves until SIGTERM. */
public final class Main {
  private static final Logger LOG = System.getLogger(Main.class.getName());

  private Main() {}

  /**
   * Netty's switch for the JFR events its buffer allocator emits. Left on, the first buffer the
   * server allocates (for the first request, the readiness probe's) sets up the JVM's event
   * metadata, some 80 classes loaded before the first answer (docs/benchmarks.md, figure 6), for
   * events no one records; who profiles with JFR can turn them back on with {@code
   * -Dio.netty.jfr.enabled=true}.
   */
  static final String NETTY_JFR_EVENTS = "io.netty.jfr.enabled";

  /**
   * Guice's switch for the classes it generates (with its bundled ASM) to call constructors and
   * provider methods faster than reflection, and for method interception. toolrun intercepts no
   * method and builds each object once at start, so the generation, some 25 ASM classes loaded and
   * a class defined per constructor before the first answer (docs/benchmarks.md, figure 6), buys
   * nothing; {@code -Dguice_bytecode_gen_option=ENABLED} brings it back.
   */
  static final String GUICE_BYTECODE_GENERATION = "guice_bytecode_gen_option";

  public static void main(String[] args) {
    if (System.getProperty(NETTY_JFR_EVENTS) == null) {
      System.setProperty(NETTY_JFR_EVENTS, "false");
    }
    if (System.getProperty(GUICE_BYTECODE_GENERATION) == null) {
      System.setProperty(GUICE_BYTECODE_GENERATION, "DISABLED");
    }
    ToolrunConfig config;
    try {
      config = new ConfigLoader().load(Arrays.asList(args), System.getenv());
    } catch (ConfigException e) {
      LOG.log(
          Level.ERROR,
          "toolrun cannot start, the configuration is invalid:\n  "
              + String.join("\n  ", e.problems()));
      System.exit(2);
      return;
    }
    if (config.observability().logFormat() == Observability.LogFormat.JSON) {
      JsonLogs.install();
    }
    ToolrunServer server;
    try {
      server = createServer(config);
    } catch (CreationException | ProvisionException | IllegalArgumentException e) {
      LOG.log(Level.ERROR, "toolrun cannot start: " + e.getMessage());
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "toolrun-shutdown"));
    try {
      int port = server.start();
      LOG.log(
          Level.INFO,
          "toolrun is serving on http://{0}:{1} with the {2} runtime",
          config.http().host(),
          Integer.toString(port),
          config.runtime().name().toLowerCase().replace('_', '-'));
      config
          .generatedToken()
          .ifPresent(
              token ->
                  LOG.log(
                      Level.WARNING,
                      "no API token was configured, so this one was made up for this run: {0} (set"
                          + " TOOLRUN_AUTH_TOKEN to choose your own)",
                      token));
    } catch (RuntimeUnavailableException e) {
      // Not retried here: a half-started runtime cannot be restarted in place, and a supervisor
      // (systemd, a Deployment) restarts the process with a clean slate.
      LOG.log(
          Level.ERROR,
          "toolrun cannot start: "
              + e.getMessage()
              + "; exiting, to be restarted once the API server answers");
      server.stop();
      System.exit(1);
    } catch (ToolrunException | IllegalStateException e) {
      LOG.log(Level.ERROR, "toolrun cannot start: " + e.getMessage());
      server.stop();
      System.exit(1);
    }
  }

  /** Builds the whole object graph for {@code config}; starts nothing. */
  static ToolrunServer createServer(ToolrunConfig config) {
    return createServer(config, injector -> {});
  }

  /**
   * Builds the whole object graph for {@code config} and hands the injector to {@code prepare}
   * before anything uses it; starts nothing. Tests that script the in-memory runtime prepare it.
   */
  static ToolrunServer createServer(ToolrunConfig config, Consumer<Injector> prepare) {
    RuntimeAdapter adapter = runtimeAdapter(config);
    WriterRole role =
        config.leader().isPresent()
            ? WriterRole.elected(WriterRole::haltProcess)
            : WriterRole.sole();
    Injector injector = Guice.createInjector(Stage.PRODUCTION, modules(config, adapter, role));
    prepare.accept(injector);
    HttpApi api = injector.getInstance(HttpApi.class);
    McpEndpoint mcp = injector.getInstance(McpEndpoint.class);
    api.mount(McpEndpoint.PATH, mcp.router());
    // Only the Kubernetes runtime has records replicas share (the configuration checks it).
    Optional<KubernetesLeaderElection> election =
        config
            .leader()
            .map(lease -> injector.getInstance(KubernetesAdapter.class).leaderElection(lease));
    Optional<PodRoleLabel> label =
        config
            .leaderPod()
            .map(pod -> injector.getInstance(KubernetesAdapter.class).podRoleLabel(pod));
    return new ToolrunServer(
        injector.getInstance(Vertx.class),
        adapter.logStore().<AutoCloseable>map(injector::getInstance).orElse(() -> {}),
        injector.getInstance(ScheduledExecutorService.class),
        injector.getInstance(adapter.owner()),
        injector.getInstance(Toolrun.class),
        mcp,
        api,
        role,
        election,
        label,
        adapter.doors().map(injector::getInstance).orElse(List.of()),
        config.drain());
  }

  /** The modules for {@code config}. */
  static List<Module> modules(ToolrunConfig config) {
    return modules(config, runtimeAdapter(config), WriterRole.sole());
  }

  private static List<Module> modules(
      ToolrunConfig config, RuntimeAdapter adapter, WriterRole role) {
    MetricsAdapter metrics = MetricsAdapter.create(config.observability().metrics());
    List<Module> modules = new ArrayList<>();
    modules.add(new StrictInjection());
    modules.add(
        new ApplicationModule(config.capacity(), config.retention(), config.memoryBudget(), role));
    modules.add(new MetricsAdapterModule(metrics));
    modules.add(new HttpAdapterModule(config.http(), httpMetrics(metrics, config)));
    modules.add(new McpAdapterModule(mcpConfig(config)));
    modules.add(new JsonSchemaAdapterModule());
    modules.addAll(adapter.modules());
    return modules;
  }

  /**
   * The runtime adapter {@code config} picks: it is chosen here, and only here, with the one object
   * that owns its resources, which the app closes at shutdown.
   */
  static RuntimeAdapter runtimeAdapter(ToolrunConfig config) {
    return switch (config.runtime()) {
      case IN_MEMORY ->
          new RuntimeAdapter(
              List.of(
                  new InMemoryAdapterModule(config.inMemory(), config.storage(), LiveLogs::over)),
              Key.get(InMemoryAdapter.class),
              Optional.empty(),
              Optional.empty());
      case KUBERNETES -> kubernetes(config);
    };
  }

  /**
   * The Kubernetes runtime adapter, with its kubectl doors (which follow nothing while the records
   * are ConfigMaps).
   */
  private static RuntimeAdapter kubernetes(ToolrunConfig config) {
    return new RuntimeAdapter(
        List.of(
            // The runtime writes through LiveLogs, which wakes the followers of a log.
            logStore(config, LiveLogs::over),
            // A Tool applied with kubectl is read as the REST API reads a PUT's body.
            new KubernetesAdapterModule(config.kubernetes(), ToolRegistrations::read)),
        Key.get(KubernetesAdapter.class),
        config.logFiles().<Key<? extends AutoCloseable>>map(files -> Key.get(FileLogStore.class)),
        Optional.of(new Key<List<KubernetesDoor>>() {}));
  }

  /**
   * Where logs are kept: in files under {@code logs.directory} when it is set, so that whole logs
   * outlive toolrun; else in memory, and what must outlive toolrun (a finished instance's log tail)
   * is kept with the instance's record.
   */
  private static Module logStore(ToolrunConfig config, UnaryOperator<LogStore> decoration) {
    return config
        .logFiles()
        .<Module>map(files -> new FileLogStoreModule(files, decoration))
        .orElseGet(() -> new InMemoryLogStoreModule(config.storage(), decoration));
  }

  /**
   * A runtime adapter: the modules that bind its ports, the key of the one object that closes all
   * it opened, in its own order, the key of the log store to close once the runtime no longer
   * writes to it, when the store holds open files, and the key of its kubectl doors, started once
   * the core is, when it has any.
   */
  record RuntimeAdapter(
      List<Module> modules,
      Key<? extends AutoCloseable> owner,
      Optional<Key<? extends AutoCloseable>> logStore,
      Optional<Key<List<KubernetesDoor>>> doors) {
    RuntimeAdapter {
      modules = List.copyOf(requireNonNull(modules, "modules is null"));
      requireNonNull(owner, "owner is null");
      requireNonNull(logStore, "logStore is null");
      requireNonNull(doors, "doors is null");
    }
  }

  /**
   * What the HTTP adapter serves at {@code /metrics} and counts on: the metrics adapter's, handed
   * over here, as adapters do not see each other.
   */
  static HttpMetrics httpMetrics(MetricsAdapter metrics, ToolrunConfig config) {
    return new HttpMetrics(
        metrics.registry(),
        MetricsAdapter.CONTENT_TYPE,
        metrics::scrape,
        config.observability().metricsNeedToken());
  }

  /**
   * The MCP endpoint takes the REST API's token (one credential for both doors), says tasks are
   * kept as long as instance records are, and gets the configured secrets.
   */
  static McpConfig mcpConfig(ToolrunConfig config) {
    McpConfig mcp =
        config.http().authentication() instanceof Authentication.BearerToken bearer
            ? McpConfig.bearer(bearer.token())
            : McpConfig.anonymous();
    return mcp.withTasks(mcp.taskPollInterval(), config.retention().maxAge())
        .withSecrets(config.mcpSecrets());
  }

  /** Turns off the Guice features that hide wiring mistakes (as airlift's Bootstrap does). */
  private static final class StrictInjection extends AbstractModule {
    @Override
    protected void configure() {
      binder().disableCircularProxies();
      binder().requireExplicitBindings();
      binder().requireExactBindingAnnotations();
      binder().requireAtInjectOnConstructors();
    }
  }
}
