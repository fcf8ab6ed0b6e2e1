package dev.toolrun.ports.in;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.ports.out.LogPage.LogLine;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Follows an instance's log as it grows, until the run has ended and its log is complete. Followers
 * read what the runtime stores: however many follow one run, the runtime reads the workload's
 * output once.
 */
public interface FollowInstanceLogsUseCase {

  /**
   * A follower placed at line {@code fromLine}; it reads nothing until asked.
   *
   * @throws dev.toolrun.domain.error.InstanceNotFoundException when there is no such instance
   */
  LogFollow follow(FollowInstanceLogsQuery query);

  /** Which instance, and the first line to deliver. */
  record FollowInstanceLogsQuery(InstanceId id, long fromLine) {
    public FollowInstanceLogsQuery {
      requireNonNull(id, "id is null");
      if (fromLine < 0) {
        throw ValidationException.of("from", "must not be negative");
      }
    }
  }

  /**
   * One reader's place in a log. The reader pulls: it asks for the next lines when it can take
   * them, so a slow reader costs its place in the log and nothing more. One {@link #next} at a
   * time; thread-safe otherwise.
   */
  interface LogFollow extends AutoCloseable {
    /** The most lines {@link #next} delivers at once. */
    int MAX_LINES = 10_000;

    /**
     * The next lines from the reader's place, at most {@code maxLines} (1 to {@link #MAX_LINES}):
     * completes once there is at least one, or once the log has ended (then with {@link
     * LogChunk#end()}); never completes empty otherwise. Completes on a thread of the core's, never
     * on the caller's.
     *
     * @throws IllegalStateException when the previous stage has not completed, or after {@link
     *     #close()}
     */
    CompletionStage<LogChunk> next(int maxLines);

    /** Stops following; a stage still pending never completes. Idempotent. */
    @Override
    void close();
  }

  /**
   * What a follower gets at once.
   *
   * @param lines the lines, in order, each with its number
   * @param skippedLines lines before the first of {@code lines} (or before {@code nextLine}) that
   *     were dropped from the log before the follower read them; 0 when none was lost
   * @param nextLine where the follower now is: the number of the line it reads next
   * @param end present once the log has ended: nothing follows {@code lines}
   */
  record LogChunk(List<LogLine> lines, long skippedLines, long nextLine, Optional<LogEnd> end) {
    public LogChunk {
      lines = List.copyOf(requireNonNull(lines, "lines is null"));
      requireNonNull(end, "end is null");
    }
  }

  /**
   * How a followed log ended.
   *
   * @param state the instance's state when its log ended (a terminal one, unless the instance
   *     record was removed or its state did not settle in time)
   * @param complete whether the log holds all the output the workload wrote that was collected:
   *     false when the run ended but its log was never marked complete
   * @param totalLines the number of lines written to the log in all
   */
  record LogEnd(InstanceState state, boolean complete, long totalLines) {
    public LogEnd {
      requireNonNull(state, "state is null");
    }
  }
}
