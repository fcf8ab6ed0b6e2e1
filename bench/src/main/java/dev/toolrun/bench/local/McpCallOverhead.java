package dev.toolrun.bench.local;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Figure {@code mcp.call}: the wall time of one tool call over MCP ({@code tools/call}, answered
 * when the run has ended) against the same run through the REST API as a client that wants the
 * result would do it ({@code POST /v1/instances}, then {@code GET /v1/instances/{id}} every {@value
 * #REST_POLL_MS} ms until the instance has ended). Calls are sequential, one at a time; each round
 * makes {@code calls} REST runs, then {@code calls} MCP calls, against the same toolrun.
 *
 * <p>Arguments: toolrun's base URL, its token, rounds, calls per round, and the figure's name.
 * Prints one {@link ResultLine}: medians over rounds of each round's median call time, and their
 * ratio (MCP over REST; 1 means the MCP door costs nothing).
 */
public final class McpCallOverhead {
  private static final long REST_POLL_MS = 10;
  private static final String TOOL = "bench-echo";

  private McpCallOverhead() {}

  public static void main(String[] args) throws Exception {
    URI base = URI.create(args[0]);
    String token = args[1];
    int rounds = Integer.parseInt(args[2]);
    int calls = Integer.parseInt(args[3]);
    String figure = args.length > 4 ? args[4] : "mcp.call";

    ToolrunApi api = new ToolrunApi(base, token);
    api.registerTool(
        TOOL,
        "{\"description\": \"benchmark\", \"spec\": {\"mode\": \"TASK\", \"image\": {\"name\":"
            + " \"bench/echo:1\"}}}");
    Rest rest = new Rest(base, token);
    McpSyncClient mcp =
        McpClient.sync(
                HttpClientStreamableHttpTransport.builder(base.toString())
                    .endpoint("/mcp")
                    .requestBuilder(
                        HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
                    .build())
            .requestTimeout(Duration.ofSeconds(60))
            .build();
    mcp.initialize();

    // Warm-up: the JIT of both paths, the connection pools.
    for (int i = 0; i < calls; i++) {
      rest.runToEnd();
      call(mcp);
    }
    List<Double> restMs = new ArrayList<>();
    List<Double> mcpMs = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      List<Double> r = new ArrayList<>();
      List<Double> m = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        long start = System.nanoTime();
        rest.runToEnd();
        r.add((System.nanoTime() - start) / 1e6);
      }
      for (int i = 0; i < calls; i++) {
        long start = System.nanoTime();
        call(mcp);
        m.add((System.nanoTime() - start) / 1e6);
      }
      double rMedian = Spread.of(r).median();
      double mMedian = Spread.of(m).median();
      restMs.add(rMedian);
      mcpMs.add(mMedian);
      ratios.add(mMedian / rMedian);
      System.err.printf(
          "%s round %d/%d: rest %.1f ms, mcp %.1f ms%n", figure, round, rounds, rMedian, mMedian);
    }
    mcp.close();
    System.out.println(
        new ResultLine(figure)
            .with("rest_ms", Spread.of(restMs))
            .with("mcp_ms", Spread.of(mcpMs))
            .with("ratio", Spread.of(ratios))
            .with("rounds", rounds)
            .with("calls", calls));
  }

  private static void call(McpSyncClient mcp) {
    McpSchema.CallToolResult result =
        mcp.callTool(
            McpSchema.CallToolRequest.builder().name(TOOL).arguments(Map.of("n", 1)).build());
    if (Boolean.TRUE.equals(result.isError())) {
      throw new IllegalStateException("the MCP call failed: " + result);
    }
  }

  /** A REST client that launches and polls until the instance has ended. */
  private static final class Rest {
    private final HttpClient http =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final URI base;
    private final String authorization;

    Rest(URI base, String token) {
      this.base = base;
      this.authorization = "Bearer " + token;
    }

    void runToEnd() throws Exception {
      JsonNode launched =
          send(
              HttpRequest.newBuilder(base.resolve("/v1/instances"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"tool\": \"" + TOOL + "\", \"parameters\": {\"n\": 1}}")),
              201);
      URI instance = base.resolve("/v1/instances/" + launched.get("id").asString());
      while (true) {
        String state = send(HttpRequest.newBuilder(instance).GET(), 200).get("state").asString();
        if (state.equals("SUCCEEDED")) {
          return;
        }
        if (List.of("FAILED", "TIMED_OUT", "CANCELLED").contains(state)) {
          throw new IllegalStateException("the REST run ended " + state);
        }
        // The client's polling cadence is what is measured here, not a wait for a state in a test.
        Thread.sleep(REST_POLL_MS);
      }
    }

    private JsonNode send(HttpRequest.Builder request, int expected) throws Exception {
      HttpResponse<String> response =
          http.send(
              request.header("Authorization", authorization).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != expected) {
        throw new IllegalStateException(
            "expected " + expected + ", got " + response.statusCode() + ": " + response.body());
      }
      return json.readTree(response.body());
    }
  }
}
