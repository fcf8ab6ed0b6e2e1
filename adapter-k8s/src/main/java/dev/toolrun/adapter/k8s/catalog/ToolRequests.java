package dev.toolrun.adapter.k8s.catalog;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.ToolRequestReader;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.ports.in.RegisterToolUseCase;
import dev.toolrun.ports.in.RegisterToolUseCase.Registration;
import dev.toolrun.ports.out.Leadership;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides what becomes of a Tool object: a registration request, not yet answered, seen by the
 * replica that writes, is registered through the use case the REST API's {@code PUT
 * /v1/tools/{name}} calls, read as that PUT reads its body; everything else is left alone.
 *
 * <p>Left alone are: toolrun's own version objects; a generation already answered (the status says
 * so, so a restart registers nothing twice); and every request while this replica does not write,
 * as the writer answers it (a replica that becomes the writer answers what waits, when the informer
 * hands every object over again).
 */
final class ToolRequests {
  private final RegisterToolUseCase register;
  private final Leadership leadership;
  private final ToolRequestReader reader;
  // The generations answered since this toolrun started: an informer may hand over a copy of a
  // request from before its answer arrived (a resync queued behind the first event), which its
  // status alone would have registered again.
  private final Map<String, Long> answered = new ConcurrentHashMap<>();

  ToolRequests(RegisterToolUseCase register, Leadership leadership, ToolRequestReader reader) {
    this.register = requireNonNull(register, "register is null");
    this.leadership = requireNonNull(leadership, "leadership is null");
    this.reader = requireNonNull(reader, "reader is null");
  }

  /**
   * The answer to {@code request}, once it is registered or found invalid; empty when it is not
   * this replica's to answer.
   *
   * @throws dev.toolrun.domain.error.ToolrunException when the registration could not be done now
   *     (the API server unavailable, say): the request stays unanswered, to be tried again
   */
  Optional<RequestAnswer> answer(ToolRequest request) {
    if (request.version()
        || request.answered()
        || answered.getOrDefault(request.name(), 0L) >= request.generation()
        || leadership.notWriting().isPresent()) {
      return Optional.empty();
    }
    try {
      Registration registration = register.register(reader.read(request.name(), request.body()));
      return Optional.of(
          new RequestAnswer.Registered(
              registration.tool().name().value(),
              registration.tool().version(),
              registration.created()));
    } catch (ValidationException e) {
      return Optional.of(new RequestAnswer.Invalid(e.violations()));
    }
  }

  /** Notes that {@code request}'s answer is on its status now. */
  void answered(ToolRequest request) {
    answered.merge(request.name(), request.generation(), Math::max);
  }

  /** Forgets the request called {@code name}, deleted: one applied anew starts at generation 1. */
  void forget(String name) {
    answered.remove(name);
  }
}
