package dev.toolrun.ports.in;

/**
 * Records what a runtime observed of a workload. Observations may arrive late, twice or out of
 * order: one that is not ahead of the instance's recorded state changes nothing.
 */
public interface RecordRunProgressUseCase {

  /**
   * Records {@code progress}; never throws for a stale or repeated observation.
   *
   * @throws dev.toolrun.domain.error.InstanceNotFoundException when no instance has this id: the
   *     workload is an orphan (its record was deleted, or another toolrun made it), which the
   *     runtime reports and leaves alone, never adopts nor deletes
   * @throws dev.toolrun.domain.error.RuntimeUnavailableException when the records cannot be written
   *     now: the runtime reports the same observation again later
   */
  void record(RunProgress progress);
}
