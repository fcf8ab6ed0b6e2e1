package dev.toolrun.domain.error;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;

/**
 * The lifecycle table does not allow an instance to move from its current state to the requested
 * one.
 */
public final class IllegalTransitionException extends ToolrunException {
  private static final long serialVersionUID = 1L;

  private final transient InstanceId instanceId;
  private final InstanceState from;
  private final InstanceState to;

  public IllegalTransitionException(InstanceId instanceId, InstanceState from, InstanceState to) {
    super(
        "instance %s cannot transition from %s to %s"
            .formatted(
                requireNonNull(instanceId, "instanceId is null"),
                requireNonNull(from, "from is null"),
                requireNonNull(to, "to is null")));
    this.instanceId = instanceId;
    this.from = from;
    this.to = to;
  }

  public InstanceId instanceId() {
    return instanceId;
  }

  public InstanceState from() {
    return from;
  }

  public InstanceState to() {
    return to;
  }

  @Override
  public ErrorCode code() {
    return ErrorCode.ILLEGAL_TRANSITION;
  }
}
