package dev.toolrun.adapter.mcp.resource;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.ports.in.GetInstanceLogsUseCase;
import dev.toolrun.ports.in.GetInstanceLogsUseCase.GetInstanceLogsQuery;
import dev.toolrun.ports.in.GetInstanceUseCase;
import dev.toolrun.ports.in.GetInstanceUseCase.GetInstanceQuery;
import dev.toolrun.ports.in.InstanceView;
import dev.toolrun.ports.out.LogPage;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Every instance's record and log as MCP resources: {@code toolrun://instances/{id}} (JSON) and
 * {@code toolrun://instances/{id}/logs} (the log as text, up to {@value #MAX_LOG_LINES} lines from
 * the start). They are resource templates, not listed one by one: a tool call's answer links to its
 * instance.
 */
public final class InstanceResources {
  static final String PREFIX = "toolrun://instances/";
  static final String LOGS_SUFFIX = "/logs";
  static final int MAX_LOG_LINES = GetInstanceLogsQuery.MAX_LIMIT;

  private final GetInstanceUseCase get;
  private final GetInstanceLogsUseCase logs;
  private final McpJsonMapper json;
  private final Scheduler blocking;

  public InstanceResources(
      GetInstanceUseCase get, GetInstanceLogsUseCase logs, McpJsonMapper json, Scheduler blocking) {
    this.get = requireNonNull(get, "get is null");
    this.logs = requireNonNull(logs, "logs is null");
    this.json = requireNonNull(json, "json is null");
    this.blocking = requireNonNull(blocking, "blocking is null");
  }

  /** The URI of {@code id}'s record. */
  public static String instanceUri(InstanceId id) {
    return PREFIX + id.value();
  }

  /** The URI of {@code id}'s log. */
  public static String logsUri(InstanceId id) {
    return PREFIX + id.value() + LOGS_SUFFIX;
  }

  /** The two resource templates, for the server's specification. */
  public List<McpServerFeatures.AsyncResourceTemplateSpecification> templates() {
    return List.of(
        new McpServerFeatures.AsyncResourceTemplateSpecification(
            McpSchema.ResourceTemplate.builder()
                .uriTemplate(PREFIX + "{id}")
                .name("instance")
                .title("A toolrun instance")
                .description("The record of one run: state, history, failure, exit code, result")
                .mimeType("application/json")
                .build(),
            (exchange, request) -> read(request.uri(), false)),
        new McpServerFeatures.AsyncResourceTemplateSpecification(
            McpSchema.ResourceTemplate.builder()
                .uriTemplate(PREFIX + "{id}" + LOGS_SUFFIX)
                .name("instance-logs")
                .title("A toolrun instance's log")
                .description("The log of one run, also after its workload is gone")
                .mimeType("text/plain")
                .build(),
            (exchange, request) -> read(request.uri(), true)));
  }

  private Mono<McpSchema.ReadResourceResult> read(String uri, boolean log) {
    return Mono.fromCallable(() -> log ? readLog(uri) : readRecord(uri))
        .subscribeOn(blocking)
        .onErrorMap(
            e ->
                e instanceof InstanceNotFoundException || e instanceof ValidationException
                    ? McpError.RESOURCE_NOT_FOUND.apply(uri)
                    : e);
  }

  private McpSchema.ReadResourceResult readRecord(String uri) throws IOException {
    InstanceId id = new InstanceId(uri.substring(PREFIX.length()));
    InstanceView view = get.get(new GetInstanceQuery(id));
    String text = json.writeValueAsString(describe(view));
    return new McpSchema.ReadResourceResult(
        List.of(new McpSchema.TextResourceContents(uri, "application/json", text)));
  }

  private McpSchema.ReadResourceResult readLog(String uri) {
    String idText = uri.substring(PREFIX.length(), uri.length() - LOGS_SUFFIX.length());
    LogPage page = logs.logs(new GetInstanceLogsQuery(new InstanceId(idText), 0, MAX_LOG_LINES));
    String text =
        page.lines().stream().map(LogPage.LogLine::text).collect(Collectors.joining("\n"));
    return new McpSchema.ReadResourceResult(
        List.of(new McpSchema.TextResourceContents(uri, "text/plain", text)));
  }

  /** The record as JSON values: what {@code GET /v1/instances/{id}} shows, in short. */
  static Map<String, Object> describe(InstanceView view) {
    Instance instance = view.instance();
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("id", instance.id().value());
    record.put("tool", instance.toolName().value());
    record.put("toolVersion", instance.toolVersion());
    record.put("mode", instance.mode().name());
    record.put("state", instance.state().name());
    view.queuePosition().ifPresent(position -> record.put("queuePosition", position));
    record.put("parameters", instance.parameters().values());
    record.put("secretNames", List.copyOf(instance.secretNames()));
    record.put(
        "history",
        instance.history().stream()
            .map(change -> Map.of("state", change.state().name(), "at", change.at().toString()))
            .toList());
    instance
        .failure()
        .ifPresent(
            failure ->
                record.put(
                    "failure",
                    Map.of("kind", failure.kind().name(), "message", failure.message())));
    instance.exitCode().ifPresent(code -> record.put("exitCode", code));
    instance.result().ifPresent(result -> record.put("resultJson", result.json()));
    return record;
  }
}
