package dev.toolrun.ports.out;

import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.ports.in.RecordRunProgressUseCase;
import dev.toolrun.ports.in.RunProgress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every observation a runtime reports, for tests to inspect. Thread-safe. */
public final class RecordingProgress implements RecordRunProgressUseCase {
  private final List<RunProgress> reported = new CopyOnWriteArrayList<>();

  @Override
  public void record(RunProgress progress) {
    reported.add(progress);
  }

  /** Everything reported about {@code id}, in order. */
  public List<RunProgress> of(InstanceId id) {
    return reported.stream().filter(p -> p.id().equals(id)).toList();
  }

  /** The first terminal observation of {@code id}. */
  public Optional<RunProgress> terminal(InstanceId id) {
    return of(id).stream().filter(p -> p.observed().isTerminal()).findFirst();
  }
}
