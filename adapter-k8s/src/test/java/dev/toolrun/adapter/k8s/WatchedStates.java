package dev.toolrun.adapter.k8s;

import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.ports.in.WatchInstancesUseCase.InstanceWatch;
import java.util.List;

/** The states one instance goes through, as a watch of the core tells them. */
public final class WatchedStates {
  private WatchedStates() {}

  /** Adds to {@code seen} every state of {@code id} that {@code watch} tells, until it ends. */
  public static void follow(InstanceWatch watch, InstanceId id, List<InstanceState> seen) {
    watch
        .next(InstanceWatch.MAX_EVENTS)
        .thenAccept(
            events -> {
              events.stream()
                  .flatMap(e -> e.instance().stream())
                  .filter(v -> v.instance().id().equals(id))
                  .forEach(v -> seen.add(v.instance().state()));
              follow(watch, id, seen);
            });
  }
}
