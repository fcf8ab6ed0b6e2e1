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

  /**
   * Whether {@link #get} may block the calling thread right now (see {@link
   * dev.toolrun.ports.out.InstanceRepository#findMayBlock()}); a door on an event loop calls {@link
   * #get} there only when this is false. True unless an implementation knows better.
   */
  default boolean getMayBlock() {
    return true;
  }

  /** Which instance. */
  record GetInstanceQuery(InstanceId id) {
    public GetInstanceQuery {
      requireNonNull(id, "id is null");
    }
  }
}
