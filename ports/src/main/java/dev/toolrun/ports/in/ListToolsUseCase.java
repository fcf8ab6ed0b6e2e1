package dev.toolrun.ports.in;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.tool.Tool;
import dev.toolrun.ports.out.Page;
import dev.toolrun.ports.out.PageRequest;

/** Lists the latest version of every tool, by name. */
public interface ListToolsUseCase {

  /** One page of tools. */
  Page<Tool> list(ListToolsQuery query);

  /** Which page. */
  record ListToolsQuery(PageRequest page) {
    public ListToolsQuery {
      requireNonNull(page, "page is null");
    }
  }
}
