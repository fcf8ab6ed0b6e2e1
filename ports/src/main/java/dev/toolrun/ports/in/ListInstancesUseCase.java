package dev.toolrun.ports.in;

import static java.util.Objects.requireNonNull;

import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.Page;
import dev.toolrun.ports.out.PageRequest;

/** Lists instances, newest first, optionally of one tool and in some states. */
public interface ListInstancesUseCase {

  /** One page of the instances that match. */
  Page<InstanceView> list(ListInstancesQuery query);

  /** Which instances and which page. */
  record ListInstancesQuery(InstanceFilter filter, PageRequest page) {
    public ListInstancesQuery {
      requireNonNull(filter, "filter is null");
      requireNonNull(page, "page is null");
    }
  }
}
