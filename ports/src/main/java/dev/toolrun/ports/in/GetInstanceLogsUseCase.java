package dev.toolrun.ports.in;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.ports.out.LogPage;

/** Reads an instance's log, also after its workload is gone. */
public interface GetInstanceLogsUseCase {

  /**
   * Up to {@code limit} lines from line {@code fromLine}.
   *
   * @throws dev.toolrun.domain.error.InstanceNotFoundException when there is no such instance
   */
  LogPage logs(GetInstanceLogsQuery query);

  /** Which instance and which lines. */
  record GetInstanceLogsQuery(InstanceId id, long fromLine, int limit) {
    public static final int MAX_LIMIT = 10_000;

    public GetInstanceLogsQuery {
      requireNonNull(id, "id is null");
      if (fromLine < 0) {
        throw ValidationException.of("from", "must not be negative");
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        throw ValidationException.of("limit", "must be between 1 and %d".formatted(MAX_LIMIT));
      }
    }
  }
}
