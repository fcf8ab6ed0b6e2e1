package dev.toolrun.domain.error;

import static java.util.Objects.requireNonNull;

/** The workload runtime understood the operation and refused it; repeating it will not help. */
public final class RuntimeRejectedException extends ToolrunException {
  private static final long serialVersionUID = 1L;

  /** Why the runtime refused. */
  public enum Kind {
    /** toolrun's identity lacks a permission; the message names the verb and resource. */
    FORBIDDEN,
    /** A resource quota or limit range in the target namespace was exceeded. */
    QUOTA_EXCEEDED,
    /** The runtime considered the generated object invalid. */
    INVALID_OBJECT,
    /** Any other refusal; the message carries the runtime's own words. */
    OTHER
  }

  private final Kind kind;

  public RuntimeRejectedException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = requireNonNull(kind, "kind is null");
  }

  public Kind kind() {
    return kind;
  }

  @Override
  public ErrorCode code() {
    return ErrorCode.RUNTIME_REJECTED;
  }
}
