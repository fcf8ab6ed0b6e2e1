package dev.toolrun.adapter.mcp.call;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.mcp.resource.InstanceResources;
import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.LogTail;
import dev.toolrun.domain.instance.ToolResult;
import dev.toolrun.ports.in.GetInstanceLogsUseCase;
import dev.toolrun.ports.in.GetInstanceLogsUseCase.GetInstanceLogsQuery;
import dev.toolrun.ports.out.LogPage;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer to a tool call once its instance ended: the result as {@code structuredContent} and as
 * text for a success; {@code isError} with the failure kind, exit code and the end of the log
 * otherwise. Either way the instance id is in {@code _meta} and a resource link points at the
 * instance, so the run can be found later (also over REST, {@code GET /v1/instances/{id}}).
 */
final class CallResults {
  /** Log lines an error answer carries. */
  static final int TAIL_LINES = 20;

  /** The {@code _meta} key of the instance id. */
  static final String INSTANCE_ID_META = "toolrun.dev/instanceId";

  private final GetInstanceLogsUseCase logs;
  private final McpJsonMapper json;

  CallResults(GetInstanceLogsUseCase logs, McpJsonMapper json) {
    this.logs = requireNonNull(logs, "logs is null");
    this.json = requireNonNull(json, "json is null");
  }

  /** The answer for {@code instance}, which has ended; may block to read the log. */
  McpSchema.CallToolResult of(Instance instance) {
    return of(instance, Map.of());
  }

  /** The answer for {@code instance} with {@code extraMeta} in its {@code _meta}. */
  McpSchema.CallToolResult of(Instance instance, Map<String, Object> extraMeta) {
    if (!instance.isTerminal()) {
      throw new IllegalArgumentException("instance " + instance.id() + " has not ended");
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put(INSTANCE_ID_META, instance.id().value());
    meta.put("toolrun.dev/state", instance.state().name());
    meta.putAll(extraMeta);
    McpSchema.ResourceLink link =
        McpSchema.ResourceLink.builder()
            .uri(InstanceResources.instanceUri(instance.id()))
            .name("instance " + instance.id().value())
            .description(
                "the instance's record; its log is at " + InstanceResources.logsUri(instance.id()))
            .mimeType("application/json")
            .build();
    if (instance.state() == InstanceState.SUCCEEDED) {
      return succeeded(instance, meta, link);
    }
    return ended(instance, meta, link);
  }

  private McpSchema.CallToolResult succeeded(
      Instance instance, Map<String, Object> meta, McpSchema.ResourceLink link) {
    McpSchema.CallToolResult.Builder answer =
        McpSchema.CallToolResult.builder().isError(false).meta(meta);
    if (instance.result().isPresent()) {
      ToolResult result = instance.result().get();
      answer.addTextContent(result.json());
      answer.structuredContent(structured(result));
    } else {
      answer.addTextContent("the run succeeded without a result");
    }
    return answer.addContent(link).build();
  }

  // structuredContent is a JSON object; a result that is not one is wrapped.
  private Object structured(ToolResult result) {
    Object value;
    try {
      value = json.readValue(result.json(), Object.class);
    } catch (IOException e) {
      value = result.json();
    }
    return value instanceof Map<?, ?> ? value : Map.of("result", value);
  }

  private McpSchema.CallToolResult ended(
      Instance instance, Map<String, Object> meta, McpSchema.ResourceLink link) {
    FailureReason failure =
        instance.failure().orElseThrow(() -> new IllegalStateException("no failure reason"));
    List<String> tail = tail(instance);
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("instanceId", instance.id().value());
    content.put("state", instance.state().name());
    content.put("failureKind", failure.kind().name());
    content.put("message", failure.message());
    instance.exitCode().ifPresent(code -> content.put("exitCode", code));
    content.put("logTail", tail);
    StringBuilder text =
        new StringBuilder()
            .append(instance.state().name())
            .append(" (")
            .append(failure.kind().name())
            .append("): ")
            .append(failure.message());
    instance.exitCode().ifPresent(code -> text.append("; exit code ").append(code));
    if (!tail.isEmpty()) {
      text.append("\nlast log lines:\n").append(String.join("\n", tail));
    }
    return McpSchema.CallToolResult.builder()
        .isError(true)
        .addTextContent(text.toString())
        .structuredContent(content)
        .addContent(link)
        .meta(meta)
        .build();
  }

  private List<String> tail(Instance instance) {
    List<String> lines = instance.logTail().map(LogTail::lines).orElseGet(() -> read(instance));
    return lines.size() <= TAIL_LINES
        ? lines
        : lines.subList(lines.size() - TAIL_LINES, lines.size());
  }

  private List<String> read(Instance instance) {
    try {
      LogPage page =
          logs.logs(new GetInstanceLogsQuery(instance.id(), 0, GetInstanceLogsQuery.MAX_LIMIT));
      return page.lines().stream().map(LogPage.LogLine::text).toList();
    } catch (RuntimeException e) {
      return List.of();
    }
  }
}
