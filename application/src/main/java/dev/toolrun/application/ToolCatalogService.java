package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.ConflictException;
import dev.toolrun.domain.error.ToolNotFoundException;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.ports.in.DeleteToolUseCase;
import dev.toolrun.ports.in.GetToolUseCase;
import dev.toolrun.ports.in.ListToolVersionsUseCase;
import dev.toolrun.ports.in.ListToolsUseCase;
import dev.toolrun.ports.in.RegisterToolUseCase;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.Page;
import dev.toolrun.ports.out.PageRequest;
import dev.toolrun.ports.out.ToolRepository;
import dev.toolrun.ports.out.WorkloadRuntime;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** The tool catalog: registration with versioning, lookup, listing and removal. */
final class ToolCatalogService
    implements RegisterToolUseCase,
        GetToolUseCase,
        ListToolVersionsUseCase,
        ListToolsUseCase,
        DeleteToolUseCase {

  // Two registrations of one tool may race for the same next version; the loser retries.
  private static final int MAX_ATTEMPTS = 5;

  private final ToolRepository tools;
  private final InstanceRepository instances;
  private final WorkloadRuntime runtime;
  private final Clock clock;

  ToolCatalogService(
      ToolRepository tools, InstanceRepository instances, WorkloadRuntime runtime, Clock clock) {
    this.tools = requireNonNull(tools, "tools is null");
    this.instances = requireNonNull(instances, "instances is null");
    this.runtime = requireNonNull(runtime, "runtime is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public Registration register(RegisterToolCommand command) {
    RuntimeFit.check(command.spec(), runtime.capabilities());
    for (int attempt = 1; ; attempt++) {
      Optional<Tool> latest = tools.latest(command.name());
      if (latest.isPresent() && latest.get().isDefinedAs(command.description(), command.spec())) {
        return new Registration(latest.get(), false);
      }
      Tool next =
          latest
              .map(t -> t.next(command.description(), command.spec(), clock.instant()))
              .orElseGet(
                  () -> Tool.first(command.name(), command.description(), command.spec(), clock.instant()));
      try {
        tools.add(next);
        return new Registration(next, true);
      } catch (ConflictException e) {
        if (attempt == MAX_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  @Override
  public Tool get(GetToolQuery query) {
    if (query.version().isEmpty()) {
      return tools.latest(query.name()).orElseThrow(() -> new ToolNotFoundException(query.name()));
    }
    int version = query.version().get();
    return tools.versions(query.name()).stream()
        .filter(t -> t.version() == version)
        .findFirst()
        .orElseThrow(() -> new ToolNotFoundException(query.name(), version));
  }

  @Override
  public List<Tool> versions(ListToolVersionsQuery query) {
    List<Tool> versions = tools.versions(query.name());
    if (versions.isEmpty()) {
      throw new ToolNotFoundException(query.name());
    }
    return versions;
  }

  @Override
  public Page<Tool> list(ListToolsQuery query) {
    return tools.listLatest(query.page());
  }

  /**
   * {@inheritDoc}
   *
   * @throws ConflictException while instances of the tool are still active: their services need the
   *     tool's settings, so they are stopped or cancelled first
   */
  @Override
  public void delete(DeleteToolCommand command) {
    InstanceFilter active = InstanceFilter.active();
    Page<Instance> running =
        instances.list(new InstanceFilter(Optional.of(command.name()), active.states()), PageRequest.first(1));
    if (!running.items().isEmpty()) {
      throw new ConflictException(
          "tool '%s' still has active instances (for example %s, %s); stop or cancel them first"
              .formatted(command.name(), running.items().get(0).id(), running.items().get(0).state()));
    }
    if (!tools.remove(command.name())) {
      throw new ToolNotFoundException(command.name());
    }
  }
}
