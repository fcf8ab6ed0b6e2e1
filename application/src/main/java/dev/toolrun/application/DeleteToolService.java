package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.ConflictException;
import dev.toolrun.domain.error.ToolNotFoundException;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.ports.in.DeleteToolUseCase;
import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.Page;
import dev.toolrun.ports.out.PageRequest;
import dev.toolrun.ports.out.ToolRepository;
import java.util.Optional;

/** Removes a tool, every version of it, once none of its instances is active. */
final class DeleteToolService implements DeleteToolUseCase {
  private final ToolRepository tools;
  private final InstanceRepository instances;

  DeleteToolService(ToolRepository tools, InstanceRepository instances) {
    this.tools = requireNonNull(tools, "tools is null");
    this.instances = requireNonNull(instances, "instances is null");
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
        instances.list(
            new InstanceFilter(Optional.of(command.name()), active.states()), PageRequest.first(1));
    if (!running.items().isEmpty()) {
      throw new ConflictException(
          "tool '%s' still has active instances (for example %s, %s); stop or cancel them first"
              .formatted(
                  command.name(), running.items().get(0).id(), running.items().get(0).state()));
    }
    if (!tools.remove(command.name())) {
      throw new ToolNotFoundException(command.name());
    }
  }
}
