package com.example.reports;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.ConflictException;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.ports.out.Page;
import dev.toolrun.ports.out.PageRequest;
import dev.toolrun.ports.out.ToolRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * This application's own adapter for one of toolrun's driven ports: tool definitions kept in a map
 * (a real one would keep them in the application's database). {@code MapToolRepositoryContractTest}
 * runs toolrun's published contract against it. Thread-safe: every method holds the monitor.
 */
public final class MapToolRepository implements ToolRepository {
  // Keyed by the name's text, so that a page can start after any text; oldest version first.
  private final NavigableMap<String, List<Tool>> versionsByName = new TreeMap<>();

  @Override
  public synchronized void add(Tool tool) {
    requireNonNull(tool, "tool is null");
    List<Tool> versions = versionsByName.getOrDefault(tool.name().value(), List.of());
    int latest = versions.isEmpty() ? 0 : versions.get(versions.size() - 1).version();
    if (tool.version() != latest + 1) {
      throw new ConflictException(
          "tool '%s' version %d does not follow its latest version %d"
              .formatted(tool.name(), tool.version(), latest));
    }
    List<Tool> longer = new ArrayList<>(versions);
    longer.add(tool);
    versionsByName.put(tool.name().value(), List.copyOf(longer));
  }

  @Override
  public synchronized List<Tool> versions(ToolName name) {
    requireNonNull(name, "name is null");
    return versionsByName.getOrDefault(name.value(), List.of());
  }

  @Override
  public synchronized Page<Tool> listLatest(PageRequest page) {
    requireNonNull(page, "page is null");
    NavigableMap<String, List<Tool>> rest =
        page.after().map(after -> versionsByName.tailMap(after, false)).orElse(versionsByName);
    // One more than the page holds tells Page.of whether there is a next page.
    List<Tool> latest =
        rest.values().stream()
            .limit(page.limit() + 1L)
            .map(versions -> versions.get(versions.size() - 1))
            .toList();
    return Page.of(latest, page, tool -> tool.name().value());
  }

  @Override
  public synchronized boolean remove(ToolName name) {
    requireNonNull(name, "name is null");
    return versionsByName.remove(name.value()) != null;
  }
}
