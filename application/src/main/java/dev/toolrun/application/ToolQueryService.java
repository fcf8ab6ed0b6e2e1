package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.ToolNotFoundException;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.ports.in.GetToolUseCase;
import dev.toolrun.ports.in.ListToolVersionsUseCase;
import dev.toolrun.ports.in.ListToolsUseCase;
import dev.toolrun.ports.out.Page;
import dev.toolrun.ports.out.ToolRepository;
import java.util.List;

/**
 * Reads the tool catalog: one version, all versions of a tool, the latest version of each. Like
 * {@link InstanceQueryService}, one class serves the read use cases of one kind of record: they
 * share their dependencies and change together, while each command has a service of its own.
 */
final class ToolQueryService implements GetToolUseCase, ListToolVersionsUseCase, ListToolsUseCase {
  private final ToolRepository tools;

  ToolQueryService(ToolRepository tools) {
    this.tools = requireNonNull(tools, "tools is null");
  }

  @Override
  public Tool get(GetToolQuery query) {
    if (query.version().isEmpty()) {
      return tools.latest(query.name()).orElseThrow(() -> new ToolNotFoundException(query.name()));
    }
    int version = query.version().get();
    return tools.versions(query.name()).stream()
        .filter(t -> t.version() == version)
        .findFirst()
        .orElseThrow(() -> new ToolNotFoundException(query.name(), version));
  }

  @Override
  public List<Tool> versions(ListToolVersionsQuery query) {
    List<Tool> versions = tools.versions(query.name());
    if (versions.isEmpty()) {
      throw new ToolNotFoundException(query.name());
    }
    return versions;
  }

  @Override
  public Page<Tool> list(ListToolsQuery query) {
    return tools.listLatest(query.page());
  }
}
