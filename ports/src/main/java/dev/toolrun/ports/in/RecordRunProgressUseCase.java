package dev.toolrun.ports.in;

/**
 * Records what a runtime observed of a workload. Observations may arrive late, twice or out of
 * order: one that is not ahead of the instance's recorded state changes nothing.
 */
public interface RecordRunProgressUseCase {

  /** Records {@code progress}; never throws for a stale or repeated observation. */
  void record(RunProgress progress);
}
