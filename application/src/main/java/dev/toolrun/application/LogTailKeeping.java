package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.LogTail;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.LogPage;
import dev.toolrun.ports.out.LogStore;
import java.util.function.UnaryOperator;

/**
 * The instance records as the application services see them: whenever an instance ends, whoever
 * ends it, the end of its log is kept with its record, in the same write, so the log outlives the
 * workload, the log store and a restart of toolrun.
 */
final class LogTailKeeping extends ForwardingInstanceRepository {
  private final LogStore logs;

  LogTailKeeping(InstanceRepository records, LogStore logs) {
    super(records);
    this.logs = requireNonNull(logs, "logs is null");
  }

  @Override
  public Instance update(InstanceId id, UnaryOperator<Instance> change) {
    return super.update(
        id,
        current -> {
          Instance next = change.apply(current);
          return !current.isTerminal() && next.isTerminal() ? next.withLogTail(tail(id)) : next;
        });
  }

  private LogTail tail(InstanceId id) {
    LogPage page = logs.tail(id, LogTail.MAX_LINES);
    return new LogTail(page.lines().stream().map(LogPage.LogLine::text).toList(), page.nextLine());
  }
}
