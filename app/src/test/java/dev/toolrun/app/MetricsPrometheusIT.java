package dev.toolrun.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.app.config.ConfigLoader;
import dev.toolrun.app.config.ToolrunConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Prometheus (Debian's {@code prometheus} package, its binary run directly with a
 * configuration and storage of this test's, never the package's service) scrapes an in-process
 * toolrun on the in-memory runtime; PromQL through Prometheus' HTTP API then counts the runs the
 * test made by final state, and finds counts in the phase histograms. The shipped alert rules pass
 * {@code promtool check rules}. Skipped when the package is not installed; CI installs it ({@code
 * .ci/run}).
 */
class MetricsPrometheusIT {
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  private static final Path RULES = Path.of("../deploy/observability/toolrun-alerts.yaml");
  private static final Path DASHBOARD = Path.of("../deploy/observability/toolrun-dashboard.json");
  private static final Path OPERATIONS = Path.of("../docs/operations.md");
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int SUCCEEDING = 4;
  private static final int CANCELLED = 2;

  private static ToolrunServer server;
  private static ToolrunClient client;
  private static Process prometheus;
  private static String prometheusBase;
  private static Path work;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws IOException {
    if ("true".equals(System.getenv("CI"))) {
      // CI installs the package (.ci/run): there, a missing binary is a failure, not a skip.
      assertThat(Files.isExecutable(PROMETHEUS)).as("%s is installed", PROMETHEUS).isTrue();
    }
    assumeThat(Files.isExecutable(PROMETHEUS))
        .as("Debian's prometheus package is installed (apt-get install prometheus)")
        .isTrue();
    ToolrunConfig config =
        new ConfigLoader()
            .load(
                List.of(),
                Map.of(
                    "TOOLRUN_HTTP_PORT", "0",
                    "TOOLRUN_HTTP_HOST", "127.0.0.1",
                    "TOOLRUN_AUTH_TOKEN", "prometheus-it",
                    // Two tasks at a time, each a few steps long: the others wait for capacity.
                    "TOOLRUN_CAPACITY_MAX_TASKS", "2",
                    "TOOLRUN_IN_MEMORY_STEP_DELAY_MS", "150"));
    server = Main.createServer(config);
    int port = server.start();
    client = new ToolrunClient(port, "prometheus-it");

    work = Files.createDirectories(Path.of("target/prometheus-it"));
    int prometheusPort = freePort();
    prometheusBase = "http://127.0.0.1:" + prometheusPort;
    Path configFile = work.resolve("prometheus.yml");
    Files.writeString(
        configFile,
        """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: toolrun
            metrics_path: /metrics
            static_configs:
              - targets: ['127.0.0.1:%d']
        """
            .formatted(port));
    Path storage = Files.createTempDirectory(work, "tsdb-");
    prometheus =
        new ProcessBuilder(
                PROMETHEUS.toString(),
                "--config.file=" + configFile.toAbsolutePath(),
                "--storage.tsdb.path=" + storage.toAbsolutePath(),
                "--web.listen-address=127.0.0.1:" + prometheusPort)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("prometheus.log").toFile())
            .start();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly();
      }
    }
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void prometheusCountsTheRunsByFinalStateAndThePhases() {
    ToolrunClient.Answer registered =
        client.put(
            "/v1/tools/counted",
            "{\"spec\": {\"mode\": \"TASK\", \"image\": {\"name\": \"busybox:1\"}}}");
    assertThat(registered.status()).as(registered.body()).isEqualTo(201);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < SUCCEEDING + CANCELLED; i++) {
      ToolrunClient.Answer launched = client.post("/v1/instances", "{\"tool\": \"counted\"}");
      assertThat(launched.status()).as(launched.body()).isEqualTo(201);
      ids.add(launched.json().get("id").asString());
    }
    // The last ones wait behind the cap of two: cancelled while PENDING, they never ran.
    for (String id : ids.subList(SUCCEEDING, ids.size())) {
      ToolrunClient.Answer cancelled = client.post("/v1/instances/" + id + "/cancel", "");
      assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(
                        byLabel(
                            query("sum by (state) (toolrun_runs_ended_total{tool=\"counted\"})"),
                            "state"))
                    .isEqualTo(
                        Map.of("succeeded", (double) SUCCEEDING, "cancelled", (double) CANCELLED)));

    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(
                        byLabel(
                            query(
                                "sum by (phase) (toolrun_run_phase_seconds_count{mode=\"task\"})"),
                            "phase"))
                    .isEqualTo(
                        Map.of(
                            "waiting_for_capacity", (double) SUCCEEDING,
                            "created_to_running", (double) SUCCEEDING,
                            "running_to_ended", (double) SUCCEEDING,
                            "end_to_record_stored", (double) (SUCCEEDING + CANCELLED))));
    assertThat(byLabel(query("sum(toolrun_runs_launched_total{tool=\"counted\"})"), "tool"))
        .isEqualTo(Map.of("", (double) (SUCCEEDING + CANCELLED)));
    // Four of the six waited behind the cap; a histogram quantile comes out of the buckets.
    assertThat(
            query(
                "histogram_quantile(0.5, sum by (le)"
                    + " (toolrun_run_phase_seconds_bucket{phase=\"running_to_ended\"}))"))
        .hasSize(1);
    // Vert.x's own HTTP server metrics, by route template, never by instance id.
    assertThat(query("sum(vertx_http_server_requests_total{code=\"201\"})")).hasSize(1);
    assertThat(query("count(vertx_http_server_requests_total{route=~\".*[0-9a-f]{8}-.*\"})"))
        .isEmpty();
  }

  @Test
  void theShippedAlertRulesAreValid() throws Exception {
    assertThat(Files.isExecutable(PROMTOOL)).as("promtool comes with prometheus").isTrue();
    Process check =
        new ProcessBuilder(PROMTOOL.toString(), "check", "rules", RULES.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(check.exitValue()).as(output).isZero();
    assertThat(output).contains("SUCCESS");
  }

  @Test
  void theDashboardsQueriesAreValidPromqlOnDocumentedMetrics() throws IOException {
    JsonNode dashboard = JSON.readTree(Files.readString(DASHBOARD));
    String documented = Files.readString(OPERATIONS);
    String rules = Files.readString(RULES);
    List<String> exprs = new ArrayList<>();
    for (JsonNode panel : dashboard.get("panels")) {
      assertThat(panel.path("targets")).as(panel.get("title").asString()).isNotEmpty();
      panel.get("targets").forEach(target -> exprs.add(target.get("expr").asString()));
    }
    for (String expr : exprs) {
      // Prometheus parses it (query() asserts status success), with Grafana's variables filled in.
      query(expr.replace("$__rate_interval", "1m").replace("$job", "toolrun"));
    }
    List<String> names = new ArrayList<>();
    exprs.forEach(expr -> names.addAll(metricNames(expr)));
    names.addAll(metricNames(rules));
    assertThat(names)
        .allSatisfy(
            name ->
                assertThat(documented)
                    .as("docs/operations.md lists %s", name)
                    .contains(baseName(name)));
  }

  // toolrun_run_phase_seconds_bucket is documented as toolrun_run_phase_seconds.
  private static String baseName(String name) {
    return name.replaceAll("_(bucket|count|sum)$", "");
  }

  // The toolrun_ and vertx_ metric names an expression reads, less the histogram suffixes.
  private static List<String> metricNames(String expr) {
    List<String> names = new ArrayList<>();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\\b(toolrun|vertx)_[a-z_]+").matcher(expr);
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }

  /** The instant vector {@code promql} evaluates to now, through Prometheus' HTTP API. */
  private static List<JsonNode> query(String promql) {
    String uri =
        prometheusBase + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(response.body());
      assertThat(body.get("status").asString()).as(response.body()).isEqualTo("success");
      List<JsonNode> result = new ArrayList<>();
      body.get("data").get("result").forEach(result::add);
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Double> byLabel(List<JsonNode> vector, String label) {
    Map<String, Double> values = new TreeMap<>();
    for (JsonNode sample : vector) {
      values.put(
          sample.get("metric").path(label).asString(""),
          Double.parseDouble(sample.get("value").get(1).asString()));
    }
    return values;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
