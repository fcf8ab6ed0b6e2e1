package dev.toolrun.adapter.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.ports.in.ListToolsUseCase;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MCP server behind the endpoint is built off a start's path: at {@link McpEndpoint#start()} or
 * at the first request, whichever comes first, and a request that comes before it is built is
 * answered once it is. An endpoint over the test server's application, whose catalog listing can be
 * made to fail and is counted, on an HTTP server of its own.
 */
class McpServerBuildTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String INITIALIZE =
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
          + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":"
          + "{\"version\":\"1\",\"name\":\"raw\"}}}";

  private final McpTestServer toolrun = new McpTestServer();
  private final AtomicBoolean catalogUnavailable = new AtomicBoolean();
  private final AtomicInteger listings = new AtomicInteger();
  private final HttpClient http = HttpClient.newHttpClient();
  private McpEndpoint endpoint;
  private HttpServer server;
  private String base;
  private McpSyncClient client;

  @BeforeEach
  void start() {
    toolrun.register("greeter", "Greets", spec -> spec);
    ListToolsUseCase listTools =
        query -> {
          listings.incrementAndGet();
          if (catalogUnavailable.get()) {
            throw new RuntimeUnavailableException("the catalog cannot be read now", null);
          }
          return toolrun.application.listTools().list(query);
        };
    endpoint =
        new McpEndpoint(
            toolrun.vertx,
            McpConfig.bearer(McpTestServer.TOKEN),
            Map.<String, String>of()::get,
            listTools,
            toolrun.application.getTool(),
            toolrun.application.launchInstance(),
            toolrun.application.getInstance(),
            toolrun.application.listInstances(),
            toolrun.application.cancelInstance(),
            toolrun.application.getInstanceLogs());
    Router root = Router.router(toolrun.vertx);
    root.route(McpEndpoint.PATH + "/*").subRouter(endpoint.router());
    server = toolrun.vertx.createHttpServer().requestHandler(root).listen(0, "127.0.0.1").await();
    base = "http://127.0.0.1:" + server.actualPort();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.closeGracefully();
    }
    endpoint.close();
    server.close().await();
    toolrun.close();
  }

  private McpSyncClient connect() {
    client =
        toolrun.client(
            HttpClientStreamableHttpTransport.builder(base)
                .endpoint(McpEndpoint.PATH)
                .requestBuilder(
                    HttpRequest.newBuilder()
                        .header("Authorization", "Bearer " + McpTestServer.TOKEN))
                .build(),
            spec -> {});
    return client;
  }

  /** An initialize request sent as it is, with the token. */
  private HttpResponse<String> initialize() throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + McpEndpoint.PATH))
            .header("Authorization", "Bearer " + McpTestServer.TOKEN)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, Object> error(HttpResponse<String> response) {
    Map<String, Object> body = JSON.readValue(response.body(), new TypeReference<>() {});
    assertThat(body).containsEntry("jsonrpc", "2.0").containsEntry("id", null);
    @SuppressWarnings("unchecked")
    Map<String, Object> error = (Map<String, Object>) body.get("error");
    return error;
  }

  @Test
  void anEndpointNeverStartedBuildsItsServerAtTheFirstRequestWithTheWholeCatalog() {
    assertThat(listings).hasValue(0);
    assertThat(endpoint.sessionCount()).isZero();

    McpSyncClient first = connect();

    // The first request waited for the build, which listed the catalog before answering it.
    assertThat(first.listTools().tools()).extracting(McpSchema.Tool::name).contains("greeter");
    assertThat(endpoint.sessionCount()).isEqualTo(1);
  }

  @Test
  void aRequestDuringTheBuildAfterStartIsAnsweredOnceTheServerIsBuilt() {
    endpoint.start();

    // At once after start(): the build is under way or done; either way the call is served.
    McpSyncClient first = connect();

    assertThat(first.listTools().tools()).extracting(McpSchema.Tool::name).contains("greeter");
    assertThatThrownBy(endpoint::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the MCP endpoint is already started");
  }

  @Test
  void aBuildThatFailsIsA503AndTheNextRequestBuildsTheServerAgain() throws Exception {
    catalogUnavailable.set(true);

    HttpResponse<String> refused = initialize();

    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(error(refused))
        .containsEntry("code", McpSchema.ErrorCodes.INTERNAL_ERROR)
        .containsEntry("message", "the MCP server could not start: the catalog cannot be read now");
    assertThat(endpoint.sessionCount()).isZero();

    catalogUnavailable.set(false);
    McpSyncClient second = connect();

    assertThat(second.listTools().tools()).extracting(McpSchema.Tool::name).contains("greeter");
  }

  @Test
  void anEndpointClosedBeforeAnyRequestBuildsNothingAndRefusesRequests() throws Exception {
    endpoint.close();

    HttpResponse<String> refused = initialize();

    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(error(refused))
        .containsEntry("code", McpSchema.ErrorCodes.INTERNAL_ERROR)
        .containsEntry("message", "the server is shutting down");
    assertThat(listings).hasValue(0);
  }
}
