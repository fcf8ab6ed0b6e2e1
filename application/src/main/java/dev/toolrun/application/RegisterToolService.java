package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.ConflictException;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.ports.in.RegisterToolUseCase;
import dev.toolrun.ports.out.ToolRepository;
import dev.toolrun.ports.out.WorkloadRuntime;
import java.time.Clock;
import java.util.Optional;

/**
 * Registers tools with versioning: a changed definition makes the next version, an unchanged one
 * returns the current version. A tool must ask only for what the runtime can do.
 */
final class RegisterToolService implements RegisterToolUseCase {

  // Two registrations of one tool may race for the same next version; the loser retries.
  private static final int MAX_ATTEMPTS = 5;

  private final ToolRepository tools;
  private final WorkloadRuntime runtime;
  private final Clock clock;

  RegisterToolService(ToolRepository tools, WorkloadRuntime runtime, Clock clock) {
    this.tools = requireNonNull(tools, "tools is null");
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
                  () ->
                      Tool.first(
                          command.name(), command.description(), command.spec(), clock.instant()));
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
}
