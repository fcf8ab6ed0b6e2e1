package dev.toolrun.adapter.inmemory;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.ConflictException;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.ports.out.Page;
import dev.toolrun.ports.out.PageRequest;
import dev.toolrun.ports.out.ToolRepository;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** A {@link ToolRepository} that keeps every version of every tool in memory, sorted by name. */
public final class InMemoryToolRepository implements ToolRepository {
  // Keyed by the name's text rather than by ToolName, so a page may start after any string a
  // client sends, valid tool name or not. Each value is an immutable list, oldest version first.
  private final ConcurrentSkipListMap<String, List<Tool>> versionsByName =
      new ConcurrentSkipListMap<>();

  /** An empty repository. */
  public InMemoryToolRepository() {}

  @Override
  public void add(Tool tool) {
    requireNonNull(tool, "tool is null");
    // compute publishes its result with a compare-and-set and re-applies the (pure) function when
    // another writer got there first, so of two racing adds of one version exactly one is stored.
    versionsByName.compute(
        tool.name().value(),
        (name, versions) -> appended(versions == null ? List.of() : versions, tool));
  }

  private static List<Tool> appended(List<Tool> versions, Tool tool) {
    int latest = versions.isEmpty() ? 0 : versions.get(versions.size() - 1).version();
    if (tool.version() <= latest) {
      throw new ConflictException(
          "tool '%s' already has a version %d".formatted(tool.name(), tool.version()));
    }
    if (tool.version() != latest + 1) {
      throw new ConflictException(
          "tool '%s' version %d does not follow its latest stored version %d"
              .formatted(tool.name(), tool.version(), latest));
    }
    List<Tool> longer = new ArrayList<>(versions.size() + 1);
    longer.addAll(versions);
    longer.add(tool);
    return Collections.unmodifiableList(longer);
  }

  @Override
  public List<Tool> versions(ToolName name) {
    requireNonNull(name, "name is null");
    return versionsByName.getOrDefault(name.value(), List.of());
  }

  @Override
  public Page<Tool> listLatest(PageRequest page) {
    requireNonNull(page, "page is null");
    NavigableMap<String, List<Tool>> rest =
        page.after().isPresent()
            ? versionsByName.tailMap(page.after().get(), false)
            : versionsByName;
    // One more than the page holds tells Page.of whether there is a next page.
    List<Tool> latest = new ArrayList<>(page.limit() + 1);
    for (List<Tool> versions : rest.values()) {
      latest.add(versions.get(versions.size() - 1));
      if (latest.size() > page.limit()) {
        break;
      }
    }
    return Page.of(latest, page, tool -> tool.name().value());
  }

  @Override
  public boolean remove(ToolName name) {
    requireNonNull(name, "name is null");
    return versionsByName.remove(name.value()) != null;
  }
}
