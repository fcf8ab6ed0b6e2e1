package dev.toolrun.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.k8s.LocalCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Service instances on the local cluster through the real app's HTTP API: a python HTTP server is
 * started, serves requests under its concurrency cap, times out, is killed and restarted, and
 * stopped. Every request the test sends goes to 127.0.0.1 (toolrun), which reaches the pod through
 * the API server's proxy; no test traffic goes to a pod IP.
 */
class ServiceInstancesClusterIT {
  private static final String TOKEN = "service-it-token";
  private static final Duration PATIENCE = Duration.ofSeconds(120);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * The server runs as a child of the container's first process, so a test can kill it: a signal to
   * a container's PID 1 from inside the container is ignored. It records its own peak concurrency.
   */
  private static final String SERVER =
      String.join(
          "\n",
          "import http.server, json, os, subprocess, sys, threading, time, urllib.parse",
          "if os.environ.get('SERVER_CHILD') != '1':",
          "    child = subprocess.Popen([sys.executable, __file__], env=dict(os.environ,"
              + " SERVER_CHILD='1'))",
          "    sys.exit(child.wait())",
          "lock = threading.Lock()",
          "state = {'in_flight': 0, 'peak': 0}",
          "class Handler(http.server.BaseHTTPRequestHandler):",
          "    def reply(self, status, body):",
          "        data = json.dumps(body).encode()",
          "        self.send_response(status)",
          "        self.send_header('Content-Type', 'application/json')",
          "        self.send_header('Content-Length', str(len(data)))",
          "        self.end_headers()",
          "        self.wfile.write(data)",
          "    def do_GET(self):",
          "        url = urllib.parse.urlparse(self.path)",
          "        query = urllib.parse.parse_qs(url.query)",
          "        if url.path == '/health':",
          "            return self.reply(200, {'status': 'UP'})",
          "        if url.path == '/pid':",
          "            return self.reply(200, {'pid': os.getpid()})",
          "        if url.path == '/peak':",
          "            return self.reply(200, {'peak': state['peak']})",
          "        if url.path in ('/work', '/sleep'):",
          "            with lock:",
          "                state['in_flight'] += 1",
          "                state['peak'] = max(state['peak'], state['in_flight'])",
          "            try:",
          "                time.sleep(float(query.get('ms', ['50'])[0]) / 1000)",
          "            finally:",
          "                with lock:",
          "                    state['in_flight'] -= 1",
          "            return self.reply(200, {'peak': state['peak']})",
          "        self.reply(404, {'error': 'no such path'})",
          "    def log_message(self, *args):",
          "        pass",
          "print('serving on 8080, pid', os.getpid(), flush=True)",
          "http.server.ThreadingHTTPServer(('', 8080), Handler).serve_forever()",
          "");

  private static LocalCluster cluster;
  private static ToolrunServer server;
  private static ToolrunClient api;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.start();
    server = ClusterServers.on(cluster, TOKEN);
    api = new ToolrunClient(server.start(), TOKEN);
  }

  @AfterAll
  static void stop() {
    server.stop();
    cluster.close();
  }

  private static String registerAndLaunch(String tool, String onUnhealthy) {
    String spec =
        JSON.writeValueAsString(
            Map.of(
                "description",
                "a python HTTP server that records its peak concurrency",
                "spec",
                Map.of(
                    "mode",
                    "SERVICE",
                    "script",
                    Map.of("language", "python", "source", SERVER),
                    "service",
                    Map.of(
                        "port", 8080,
                        "protocol", "http",
                        "healthPath", "/health",
                        "healthIntervalMs", 500,
                        "failureThreshold", 2,
                        "maxConcurrentRequests", 4,
                        "requestTimeoutMs", 3000,
                        "startTimeoutSeconds", 90,
                        "onUnhealthy", onUnhealthy,
                        "maxRestarts", 2))));
    ToolrunClient.Answer registered = api.put("/v1/tools/" + tool, spec);
    assertThat(registered.status()).as(registered.body()).isIn(200, 201);
    ToolrunClient.Answer launched = api.post("/v1/instances", "{\"tool\": \"" + tool + "\"}");
    assertThat(launched.status()).as(launched.body()).isEqualTo(201);
    return launched.json().get("id").asString();
  }

  private static JsonNode instance(String id) {
    return api.get("/v1/instances/" + id).json();
  }

  private static JsonNode awaitState(String id, String... states) {
    List<String> wanted = List.of(states);
    await().atMost(PATIENCE).until(() -> wanted.contains(instance(id).get("state").asString()));
    return instance(id);
  }

  private static ToolrunClient.Answer request(String id, String path) {
    return api.post(
        "/v1/instances/" + id + "/requests", "{\"method\": \"GET\", \"path\": \"" + path + "\"}");
  }

  private static JsonNode answerBody(ToolrunClient.Answer envelope) {
    return JSON.readTree(envelope.json().get("body").asString());
  }

  private static List<Pod> pods(String id) {
    return cluster
        .admin()
        .pods()
        .inNamespace(cluster.namespace())
        .withLabel("toolrun.dev/instance", id)
        .list()
        .getItems();
  }

  @Test
  void aServiceServesUnderItsCapTimesOutIsRestartedWhenKilledAndStops() throws Exception {
    String id = registerAndLaunch("peak-server", "RESTART");

    JsonNode serving = awaitState(id, "SERVING", "FAILED");
    assertThat(serving.get("state").asString()).as(serving.toString()).isEqualTo("SERVING");
    assertThat(serving.get("health").get("lastCheckAt")).isNotNull();

    // 200 requests, 20 at a time, against a cap of 4.
    ExecutorService senders = Executors.newFixedThreadPool(20);
    List<Future<ToolrunClient.Answer>> answers = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      answers.add(senders.submit(() -> request(id, "/work?ms=50")));
    }
    List<Integer> statuses = new ArrayList<>();
    for (Future<ToolrunClient.Answer> answer : answers) {
      ToolrunClient.Answer a = answer.get(2, TimeUnit.MINUTES);
      statuses.add(a.status() == 200 ? a.json().get("status").asInt() : a.status());
    }
    senders.shutdown();
    assertThat(statuses).as("every request answered by the service").containsOnly(200);
    int peak = answerBody(request(id, "/peak")).get("peak").asInt();
    assertThat(peak).as("the server's own peak concurrency").isBetween(2, 4);

    // A request that sleeps past its 3 s timeout.
    ToolrunClient.Answer slow = request(id, "/sleep?ms=10000");
    assertThat(slow.status()).as(slow.body()).isEqualTo(504);
    assertThat(slow.json().get("code").asString()).isEqualTo("REQUEST_TIMED_OUT");

    // Kill the server process inside the pod: health checks fail and the instance is restarted.
    int pid = answerBody(request(id, "/pid")).get("pid").asInt();
    kill(id, pid);
    await().atMost(PATIENCE).until(() -> instance(id).get("restarts").asInt() >= 1);
    JsonNode restarted = awaitState(id, "SERVING", "FAILED");
    assertThat(restarted.get("state").asString()).as(restarted.toString()).isEqualTo("SERVING");
    assertThat(request(id, "/health").json().get("status").asInt()).isEqualTo(200);

    // Stop removes the pod.
    ToolrunClient.Answer stopping = api.post("/v1/instances/" + id + "/stop", "");
    assertThat(stopping.status()).as(stopping.body()).isEqualTo(200);
    awaitState(id, "STOPPED");
    await().atMost(PATIENCE).until(() -> pods(id).isEmpty());
    assertThat(request(id, "/health").status()).isEqualTo(409);
  }

  @Test
  void aServiceThatFailsWhenUnhealthyEndsFailedWhenItsProcessIsKilled() throws Exception {
    String id = registerAndLaunch("fragile-server", "FAIL");
    awaitState(id, "SERVING");

    kill(id, answerBody(request(id, "/pid")).get("pid").asInt());

    JsonNode failed = awaitState(id, "FAILED");
    assertThat(failed.get("failure").get("kind").asString())
        .isIn("CRASH_LOOP", "HEALTH_CHECK_FAILED");
    assertThat(failed.get("restarts").asInt()).isZero();
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                pods(id).stream()
                    .allMatch(
                        p ->
                            p.getMetadata().getDeletionTimestamp() != null
                                || !"Running".equals(p.getStatus().getPhase())));
  }

  @Test
  void aServiceThatNeverListensFailsSayingTheConnectionWasRefused() {
    String spec =
        JSON.writeValueAsString(
            Map.of(
                "spec",
                Map.of(
                    "mode",
                    "SERVICE",
                    "script",
                    Map.of("language", "shell", "source", "sleep 600"),
                    "service",
                    Map.of(
                        "port", 8080,
                        "healthPath", "/health",
                        "healthIntervalMs", 500,
                        "startTimeoutSeconds", 15))));
    assertThat(api.put("/v1/tools/deaf-server", spec).status()).isIn(200, 201);
    String id =
        api.post("/v1/instances", "{\"tool\": \"deaf-server\"}").json().get("id").asString();

    JsonNode failed = awaitState(id, "FAILED");

    // The API server's proxy answered 500 for the pod that refused it: not the service's answer.
    String message = failed.get("failure").get("message").asString();
    assertThat(message).as(failed.toString()).contains("connection refused");
    assertThat(message).doesNotContain("answered HTTP 500");
  }

  /** Kills process {@code pid} in the running pod of {@code id}, as the cluster administrator. */
  private static void kill(String id, int pid) throws Exception {
    Pod pod =
        pods(id).stream()
            .filter(
                p ->
                    "Running".equals(p.getStatus().getPhase())
                        && p.getMetadata().getDeletionTimestamp() == null)
            .findFirst()
            .orElseThrow();
    var output = new java.io.ByteArrayOutputStream();
    try (ExecWatch exec =
        cluster
            .admin()
            .pods()
            .inNamespace(cluster.namespace())
            .withName(pod.getMetadata().getName())
            .inContainer("tool")
            .writingOutput(output)
            .writingError(output)
            .exec("sh", "-c", "kill -9 " + pid)) {
      assertThat(exec.exitCode().get(30, TimeUnit.SECONDS)).as(output.toString()).isZero();
    }
  }
}
