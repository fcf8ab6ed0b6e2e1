package dev.toolrun.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.app.config.ConfigLoader;
import dev.toolrun.app.config.ToolrunConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole service as {@code java -jar} builds it (configuration, strict Guice injector, core,
 * in-memory runtime, HTTP API), driven over real HTTP the way the README's quick start does.
 */
class InMemoryEndToEndTest {
  private static final String TOKEN = "e2e-token";
  private static ToolrunServer server;
  private static ToolrunClient client;
  private static int port;

  @BeforeAll
  static void start() {
    ToolrunConfig config =
        new ConfigLoader()
            .load(
                List.of(),
                Map.of(
                    "TOOLRUN_HTTP_PORT", "0",
                    "TOOLRUN_HTTP_HOST", "127.0.0.1",
                    "TOOLRUN_AUTH_TOKEN", TOKEN,
                    "TOOLRUN_IN_MEMORY_STEP_DELAY_MS", "20"));
    server = Main.createServer(config);
    port = server.start();
    client = new ToolrunClient(port, TOKEN);
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @Test
  void theQuickStartWorks() {
    ToolrunClient.Answer registered =
        client.put(
            "/v1/tools/hello",
            """
            {"description": "Greets someone",
             "spec": {"mode": "TASK",
                      "script": {"language": "python",
                                 "source": "import json, os\\nparams = json.load(open(os.environ['TOOLRUN_PARAMETERS_FILE']))\\nprint('hello', params['name'])\\n"}}}
            """);
    assertThat(registered.status()).as(registered.body()).isEqualTo(201);
    assertThat(registered.json().get("version").asInt()).isEqualTo(1);

    ToolrunClient.Answer launched =
        client.post("/v1/instances", "{\"tool\": \"hello\", \"parameters\": {\"name\": \"Ada\"}}");
    assertThat(launched.status()).as(launched.body()).isEqualTo(201);
    String id = launched.json().get("id").asString();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                client
                    .get("/v1/instances/" + id)
                    .json()
                    .get("state")
                    .asString()
                    .equals("SUCCEEDED"));
    ToolrunClient.Answer done = client.get("/v1/instances/" + id);
    assertThat(done.json().get("toolVersion").asInt()).isEqualTo(1);
    assertThat(done.json().get("result").get("parameters").get("name").asString()).isEqualTo("Ada");
    assertThat(done.json().get("history")).hasSizeGreaterThanOrEqualTo(5);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> client.get("/v1/instances/" + id + "/logs").json().get("complete").asBoolean());
    assertThat(client.get("/v1/instances/" + id + "/logs").body()).contains("in-memory runtime");
  }

  @Test
  void requestsWithoutTheTokenAreRefusedButHealthIsOpen() {
    ToolrunClient anonymous = new ToolrunClient(port, "wrong");

    assertThat(anonymous.get("/v1/tools").status()).isEqualTo(401);
    assertThat(anonymous.get("/v1/tools").json().get("code").asString()).isEqualTo("UNAUTHORIZED");
    assertThat(anonymous.get("/health/ready").status()).isEqualTo(200);
    assertThat(anonymous.get("/openapi.yaml").body()).contains("openapi: 3");
  }

  @Test
  void theCapabilitiesDescribeTheInMemoryRuntime() {
    ToolrunClient.Answer capabilities = client.get("/v1/runtime/capabilities");

    assertThat(capabilities.status()).isEqualTo(200);
    assertThat(capabilities.json().get("runtime").asString()).isEqualTo("in-memory");
    assertThat(capabilities.json().get("maxConcurrentInstances").asInt()).isEqualTo(100);
  }
}
