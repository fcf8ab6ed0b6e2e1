package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.ports.in.GetInstanceLogsUseCase;
import dev.toolrun.ports.in.GetInstanceUseCase;
import dev.toolrun.ports.in.InstanceView;
import dev.toolrun.ports.in.ListInstancesUseCase;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.LogPage;
import dev.toolrun.ports.out.LogStore;
import dev.toolrun.ports.out.Page;

/** Reads instances, with their place in the admission queue, and their logs. */
final class InstanceQueryService
    implements GetInstanceUseCase, ListInstancesUseCase, GetInstanceLogsUseCase {
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
    return view(instances.find(query.id()).orElseThrow(() -> new InstanceNotFoundException(query.id())));
  }

  @Override
  public Page<InstanceView> list(ListInstancesQuery query) {
    Page<Instance> page = instances.list(query.filter(), query.page());
    return new Page<>(page.items().stream().map(this::view).toList(), page.nextAfter());
  }

  @Override
  public LogPage logs(GetInstanceLogsQuery query) {
    if (instances.find(query.id()).isEmpty()) {
      throw new InstanceNotFoundException(query.id());
    }
    return logs.read(query.id(), query.fromLine(), query.limit());
  }

  private InstanceView view(Instance instance) {
    return new InstanceView(
        instance,
        instance.isTerminal() ? java.util.Optional.empty() : starter.queuePosition(instance.id()));
  }
}
