package dev.toolrun.ports.in;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.InstanceId;

/** Looks up one instance. */
public interface GetInstanceUseCase {

  /**
   * The instance with the query's id.
   *
   * @throws dev.toolrun.domain.error.InstanceNotFoundException when there is none
   */
  InstanceView get(GetInstanceQuery query);

  /** Which instance. */
  record GetInstanceQuery(InstanceId id) {
    public GetInstanceQuery {
      requireNonNull(id, "id is null");
    }
  }
}
