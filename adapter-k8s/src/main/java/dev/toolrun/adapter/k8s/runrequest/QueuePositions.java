package dev.toolrun.adapter.k8s.runrequest;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.job.WorkloadLabels;
import dev.toolrun.adapter.k8s.record.ToolRuns;
import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.ports.in.GetInstanceUseCase;
import dev.toolrun.ports.in.GetInstanceUseCase.GetInstanceQuery;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Map;
import java.util.Optional;

/**
 * Shows a waiting run's place in the admission queue on its ToolRun, {@code status.queuePosition}
 * (1 for the next to start), as {@code GET /v1/instances/{id}} shows it. Only runs that wait for
 * capacity have one: a run admitted at once costs nothing here.
 *
 * <p>Positions move at every admission, so they are not written as they move: each refresh (every
 * few seconds, {@code kubernetes.queue-position-refresh-seconds}) writes the position of each
 * waiting ToolRun whose shown position is not its position now, one status merge patch each,
 * through the API rate limiter. A queue of {@code n} thus costs at most {@code n} writes per
 * refresh, and none while it does not move. The patch names no resource version and sets only
 * {@code queuePosition}: it never conflicts with the record store's status writes, which set every
 * field but this one and send this one as null. A run's leaving the queue is the record's next
 * status write (admitted, or ended), which removes the position at no cost of its own; a position
 * written just after that (the refresh read the queue just before) is removed by the next refresh.
 */
final class QueuePositions {
  private final GetInstanceUseCase get;

  QueuePositions(GetInstanceUseCase get) {
    this.get = requireNonNull(get, "get is null");
  }

  /**
   * The status merge patch that makes {@code run} show its place in the queue now, if it shows
   * another: empty when it shows the right one, or when the record's own next status write will
   * remove the position it shows.
   */
  Optional<String> patch(GenericKubernetesResource run) {
    Optional<InstanceId> id = instanceId(run);
    if (id.isEmpty() || run.getMetadata().getDeletionTimestamp() != null) {
      return Optional.empty();
    }
    Map<?, ?> status =
        run.getAdditionalProperties().get("status") instanceof Map<?, ?> s ? s : Map.of();
    Optional<Integer> shown =
        status.get(ToolRuns.QUEUE_POSITION) instanceof Number n
            ? Optional.of(n.intValue())
            : Optional.empty();
    // The record writes no status while its run waits: one with a later state has left the queue.
    boolean recordLeftTheQueue =
        status.get("state") != null
            && !InstanceState.PENDING.name().equals(String.valueOf(status.get("state")));
    if (recordLeftTheQueue && shown.isEmpty()) {
      return Optional.empty();
    }
    Optional<Integer> position;
    try {
      position = get.get(new GetInstanceQuery(id.get())).queuePosition();
    } catch (InstanceNotFoundException gone) {
      return Optional.empty();
    }
    if (position.equals(shown) || (position.isEmpty() && !recordLeftTheQueue)) {
      return Optional.empty();
    }
    // Null removes the field: a merge patch has no other way to say so.
    return Optional.of(
        "{\"status\":{\"%s\":%s}}"
            .formatted(ToolRuns.QUEUE_POSITION, position.map(String::valueOf).orElse("null")));
  }

  /** The instance whose record {@code run} is, by its label; none for one not adopted (yet). */
  static Optional<InstanceId> instanceId(GenericKubernetesResource run) {
    Map<String, String> labels = run.getMetadata().getLabels();
    String id = labels == null ? null : labels.get(WorkloadLabels.INSTANCE);
    try {
      return Optional.ofNullable(id).map(InstanceId::new);
    } catch (ValidationException notOurs) {
      return Optional.empty();
    }
  }
}
