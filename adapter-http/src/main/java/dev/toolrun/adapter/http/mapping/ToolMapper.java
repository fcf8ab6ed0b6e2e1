package dev.toolrun.adapter.http.mapping;

import dev.toolrun.adapter.http.dto.PageResponse;
import dev.toolrun.adapter.http.dto.RegisterToolRequest;
import dev.toolrun.adapter.http.dto.ToolResponse;
import dev.toolrun.domain.error.Violations;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.in.ListToolsUseCase.ListToolsQuery;
import dev.toolrun.ports.in.RegisterToolUseCase.RegisterToolCommand;
import dev.toolrun.ports.out.Page;
import dev.toolrun.ports.out.PageRequest;
import java.util.Optional;

/** Maps tools between their JSON form and the tool use cases' commands, queries and results. */
public final class ToolMapper {
  private ToolMapper() {}

  /**
   * The command registering {@code body} under the path's {@code name}; every violation at once.
   */
  public static RegisterToolCommand toCommand(String name, RegisterToolRequest body) {
    var v = new Violations();
    ToolName toolName = v.attempt("name", () -> new ToolName(name));
    ToolSpec spec = null;
    if (body.spec() == null) {
      v.add("spec", "is required");
    } else {
      spec = v.attempt("spec", () -> ToolSpecMapper.toDomain(body.spec()));
    }
    v.throwIfAny();
    return new RegisterToolCommand(
        toolName, body.description() == null ? "" : body.description(), spec);
  }

  /** The tool name in the path. */
  public static ToolName name(String name) {
    var v = new Violations();
    ToolName toolName = v.attempt("name", () -> new ToolName(name));
    v.throwIfAny();
    return toolName;
  }

  /** The query for one page of tools. */
  public static ListToolsQuery toListQuery(Optional<Integer> limit, Optional<String> cursor) {
    var v = new Violations();
    PageRequest page = Cursors.pageRequest(limit, cursor, ToolName::new, v);
    v.throwIfAny();
    return new ListToolsQuery(page);
  }

  public static ToolResponse toResponse(Tool tool) {
    return new ToolResponse(
        tool.name().value(),
        tool.version(),
        tool.description(),
        tool.mode().name(),
        ToolSpecMapper.toDto(tool.spec()),
        tool.registeredAt());
  }

  public static PageResponse<ToolResponse> toResponse(Page<Tool> page) {
    return Cursors.pageResponse(page, ToolMapper::toResponse);
  }

  /** Where a tool version can be read. */
  public static String location(Tool tool) {
    return "/v1/tools/%s/versions/%d".formatted(tool.name().value(), tool.version());
  }
}
