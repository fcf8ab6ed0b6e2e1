package dev.toolrun.adapter.k8s.run;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.ports.in.RecordRunProgressUseCase;
import dev.toolrun.ports.in.RunProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands the runs' progress to the application, and says what became of each report. */
public final class ProgressReporter {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

  private volatile RecordRunProgressUseCase listener;

  /** What became of a report. */
  enum Reported {
    STORED,
    /** The records cannot be written now: report again later. */
    RETRY,
    /** No record has this instance: leave its workload alone. */
    ORPHAN
  }

  /** Reports to {@code progress} from now on. */
  void reportTo(RecordRunProgressUseCase progress) {
    this.listener = requireNonNull(progress, "progress is null");
  }

  Reported report(RunProgress progress) {
    try {
      listener.record(progress);
      return Reported.STORED;
    } catch (InstanceNotFoundException e) {
      return Reported.ORPHAN;
    } catch (RuntimeUnavailableException e) {
      LOG.warn(
          "could not record {} of instance {} yet, retrying: {}",
          progress.observed(),
          progress.id(),
          e.getMessage());
      return Reported.RETRY;
    } catch (RuntimeException e) {
      LOG.error("recording {} of instance {} failed", progress.observed(), progress.id(), e);
      return Reported.STORED;
    }
  }
}
