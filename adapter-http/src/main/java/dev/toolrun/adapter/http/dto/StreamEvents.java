package dev.toolrun.adapter.http.dto;

/** The data of the events of the event streams that are not a log line or an instance. */
public final class StreamEvents {
  private StreamEvents() {}

  /**
   * A followed log ended: nothing follows.
   *
   * @param state the instance's state
   * @param complete whether the log holds all the output collected from the workload
   * @param nextFrom the number of lines written in all: a later read from here reads nothing
   */
  public record LogEnd(String state, boolean complete, long nextFrom) {}

  /**
   * Lines the follower had not read were dropped from the log (it keeps a bounded number).
   *
   * @param lines how many
   * @param nextFrom the number of the next line sent
   */
  public record LogDropped(long lines, long nextFrom) {}

  /**
   * The snapshot of a watch is over: every instance event after this one is a change.
   *
   * @param instances how many instance events the snapshot had
   */
  public record WatchSynced(int instances) {}
}
