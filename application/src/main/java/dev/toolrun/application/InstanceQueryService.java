package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.LogTail;
import dev.toolrun.ports.in.GetInstanceLogsUseCase;
import dev.toolrun.ports.in.GetInstanceUseCase;
import dev.toolrun.ports.in.InstanceView;
import dev.toolrun.ports.in.ListInstancesUseCase;
import dev.toolrun.ports.in.LogStatus;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.LogPage;
import dev.toolrun.ports.out.LogStore;
import dev.toolrun.ports.out.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads instances, with their place in the admission queue, and their logs. */
final class InstanceQueryService
    implements GetInstanceUseCase, ListInstancesUseCase, GetInstanceLogsUseCase {
  static final String END_NOT_KEPT =
      "the log store no longer has this log, and its end was not collected: only the lines kept"
          + " with the record when the instance ended are left";

  private final InstanceRepository instances;
  private final LogStore logs;
  private final InstanceStarter starter;

  InstanceQueryService(InstanceRepository instances, LogStore logs, InstanceStarter starter) {
    this.instances = requireNonNull(instances, "instances is null");
    this.logs = requireNonNull(logs, "logs is null");
    this.starter = requireNonNull(starter, "starter is null");
  }

  @Override
  public InstanceView get(GetInstanceQuery query) {
    return view(
        instances.find(query.id()).orElseThrow(() -> new InstanceNotFoundException(query.id())));
  }

  /**
   * {@inheritDoc}
   *
   * <p>As the records: the rest of a view (the queue position, the log's end) is read from memory
   * by every log store and by the admission queue.
   */
  @Override
  public boolean getMayBlock() {
    return instances.findMayBlock();
  }

  /** The instance {@code id} as its readers see it, if there is one. */
  java.util.Optional<InstanceView> find(dev.toolrun.domain.instance.InstanceId id) {
    return instances.find(id).map(this::view);
  }

  @Override
  public Page<InstanceView> list(ListInstancesQuery query) {
    Page<Instance> page = instances.list(query.filter(), query.page());
    return new Page<>(page.items().stream().map(this::view).toList(), page.nextAfter());
  }

  /**
   * {@inheritDoc}
   *
   * <p>The log store holds live output; once it no longer has an ended instance's log (after a
   * restart of toolrun, say), the tail kept with the record is served, a log whose earlier lines
   * were dropped, as the store said it stood when the tail was taken. A tail taken before its log
   * ended, whose log is gone, says the log is incomplete: its end was never kept.
   */
  @Override
  public LogPage logs(GetInstanceLogsQuery query) {
    Instance instance =
        instances.find(query.id()).orElseThrow(() -> new InstanceNotFoundException(query.id()));
    return logs(instance, query.fromLine(), query.limit());
  }

  private LogPage logs(Instance instance, long fromLine, int limit) {
    GetInstanceLogsQuery query = new GetInstanceLogsQuery(instance.id(), fromLine, limit);
    LogPage live = logs.read(query.id(), query.fromLine(), query.limit());
    // Asked from past the end, a page has no line even from a store that has some: its next line
    // number is what says whether the store has any.
    boolean storeHasNothing = live.nextLine() == 0 && !live.complete();
    if (!storeHasNothing || instance.logTail().isEmpty()) {
      return live;
    }
    LogTail tail = instance.logTail().get();
    long first = tail.totalLines() - tail.lines().size();
    List<LogPage.LogLine> lines = new ArrayList<>();
    for (long n = Math.max(query.fromLine(), first);
        n < tail.totalLines() && lines.size() < query.limit();
        n++) {
      lines.add(new LogPage.LogLine(n, tail.lines().get((int) (n - first))));
    }
    long next =
        lines.isEmpty()
            ? Math.min(Math.max(query.fromLine(), first), tail.totalLines())
            : lines.get(lines.size() - 1).number() + 1;
    return new LogPage(
        lines,
        next,
        first,
        true,
        tail.ended() ? tail.missing() : tail.missing().or(() -> Optional.of(END_NOT_KEPT)));
  }

  private InstanceView view(Instance instance) {
    return new InstanceView(
        instance,
        instance.isTerminal() ? Optional.empty() : starter.queuePosition(instance.id()),
        Optional.of(logStatus(instance)));
  }

  /**
   * Read from past the end, which costs no line: every store answers it from what it keeps in
   * memory (the file store from its index).
   */
  private LogStatus logStatus(Instance instance) {
    LogPage end = logs(instance, Long.MAX_VALUE, 1);
    return new LogStatus(
        LogStatus.State.of(end.complete(), end.missing()),
        end.nextLine(),
        end.droppedLines(),
        end.missing());
  }
}
