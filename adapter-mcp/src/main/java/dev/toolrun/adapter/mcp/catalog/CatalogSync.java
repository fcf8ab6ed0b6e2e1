package dev.toolrun.adapter.mcp.catalog;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.mcp.call.ToolCalls;
import dev.toolrun.domain.tool.JsonSchema;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolMode;
import dev.toolrun.ports.in.ListToolsUseCase;
import dev.toolrun.ports.in.ListToolsUseCase.ListToolsQuery;
import dev.toolrun.ports.out.Page;
import dev.toolrun.ports.out.PageRequest;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Keeps the MCP server's tools equal to toolrun's catalog: every TASK tool's latest version that
 * MCP clients can call (one whose secret inputs are not all configured on the server is left out).
 *
 * <p>No port announces a change to the catalog, so this reads it every {@code interval} (one
 * listing of the latest versions, paged) and compares it with what the server has: a tool added,
 * changed (a new version) or deleted through REST or any other door is added, replaced or removed
 * on the server, which sends {@code notifications/tools/list_changed} to every session.
 */
public final class CatalogSync implements AutoCloseable {
  private static final Logger LOG = System.getLogger(CatalogSync.class.getName());

  /** Input schema of a tool that declares none: any object. Secret inputs are never part of it. */
  static final Map<String, Object> ANY_OBJECT = Map.of("type", "object");

  private final ListToolsUseCase list;
  private final ToolCalls calls;
  private final Duration interval;
  private final Scheduler blocking;
  private final Map<String, Listed> listed = new HashMap<>();
  private McpAsyncServer server;
  private Disposable polling;

  /** What the server lists for one tool, to tell a changed tool from an unchanged one. */
  private record Listed(int version, Instant registeredAt) {}

  public CatalogSync(
      ListToolsUseCase list, ToolCalls calls, Duration interval, Scheduler blocking) {
    this.list = requireNonNull(list, "list is null");
    this.calls = requireNonNull(calls, "calls is null");
    this.interval = requireNonNull(interval, "interval is null");
    this.blocking = requireNonNull(blocking, "blocking is null");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive, was " + interval);
    }
  }

  /** Fills {@code server} with the catalog now, then keeps it in step until closed. */
  public synchronized void start(McpAsyncServer server) {
    if (this.server != null) {
      throw new IllegalStateException("already started");
    }
    this.server = requireNonNull(server, "server is null");
    syncNow();
    polling =
        Flux.interval(interval, interval, blocking)
            .onBackpressureDrop()
            .concatMap(
                tick ->
                    Mono.fromRunnable(this::syncNow)
                        .onErrorResume(
                            e -> {
                              LOG.log(Level.WARNING, "could not read the tool catalog", e);
                              return Mono.empty();
                            }),
                1)
            .subscribe();
  }

  /** Compares the catalog with the server's tools once and applies the difference; may block. */
  public synchronized void syncNow() {
    Map<String, Tool> current = catalog();
    for (String name : Map.copyOf(listed).keySet()) {
      if (!current.containsKey(name)) {
        server.removeTool(name).block();
        listed.remove(name);
      }
    }
    current.forEach(
        (name, tool) -> {
          Listed now = new Listed(tool.version(), tool.registeredAt());
          Listed before = listed.get(name);
          if (!now.equals(before)) {
            if (before != null) {
              // The SDK would replace it too, but logs every replacement as a warning.
              server.removeTool(name).block();
            }
            server.addTool(specification(tool)).block();
            listed.put(name, now);
          }
        });
  }

  private Map<String, Tool> catalog() {
    Map<String, Tool> tools = new LinkedHashMap<>();
    Optional<String> after = Optional.empty();
    do {
      Page<Tool> page =
          list.list(new ListToolsQuery(new PageRequest(after, PageRequest.MAX_LIMIT)));
      page.items().stream()
          .filter(tool -> tool.mode() == ToolMode.TASK)
          // A tool whose secret inputs the server cannot supply would only ever fail.
          .filter(calls::callable)
          .forEach(tool -> tools.put(tool.name().value(), tool));
      after = page.nextAfter();
    } while (after.isPresent());
    return tools;
  }

  private McpServerFeatures.AsyncToolSpecification specification(Tool tool) {
    return McpServerFeatures.AsyncToolSpecification.builder()
        .tool(describe(tool))
        .callHandler((exchange, request) -> calls.call(exchange, tool, request))
        .build();
  }

  /**
   * How MCP clients see {@code tool}: its input schema as declared (else any object), and its
   * output schema when the answer's structured content is sure to be the result itself.
   */
  static McpSchema.Tool describe(Tool tool) {
    McpSchema.Tool.Builder described =
        McpSchema.Tool.builder(
                tool.name().value(),
                tool.spec().inputSchema().map(JsonSchema::document).orElse(ANY_OBJECT))
            .description(tool.description().isEmpty() ? null : tool.description())
            .meta(Map.of("toolrun.dev/version", tool.version()));
    outputSchema(tool).ifPresent(described::outputSchema);
    return described.build();
  }

  /**
   * The output schema to list: MCP's describes a call's structured content, which is a JSON object,
   * the result itself when it is one and {@code {"result": ...}} otherwise. Only a schema whose
   * root is {@code "type": "object"} is sure to describe what is sent; any other is left out rather
   * than rewritten (its references would no longer resolve). The SDK checks each answer against the
   * listed schema, so a result that breaks it reaches the client as an error result, while the
   * instance keeps the result and its violations.
   */
  static Optional<Map<String, Object>> outputSchema(Tool tool) {
    return tool.spec()
        .outputSchema()
        .filter(schema -> schema.declaredTypes().equals(Set.of("object")))
        .map(JsonSchema::document);
  }

  @Override
  public synchronized void close() {
    if (polling != null) {
      polling.dispose();
      polling = null;
    }
  }
}
