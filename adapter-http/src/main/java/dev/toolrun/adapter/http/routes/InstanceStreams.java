package dev.toolrun.adapter.http.routes;

import dev.toolrun.adapter.http.dto.StreamEvents;
import dev.toolrun.adapter.http.mapping.InstanceMapper;
import dev.toolrun.adapter.http.mapping.JsonCodec;
import dev.toolrun.adapter.http.mapping.LogMapper;
import dev.toolrun.adapter.http.routes.EventStream.Batch;
import dev.toolrun.adapter.http.routes.EventStream.Event;
import dev.toolrun.ports.in.FollowInstanceLogsUseCase.LogChunk;
import dev.toolrun.ports.in.FollowInstanceLogsUseCase.LogFollow;
import dev.toolrun.ports.in.WatchInstancesUseCase.InstanceWatch;
import dev.toolrun.ports.in.WatchInstancesUseCase.WatchEvent;
import dev.toolrun.ports.out.LogPage.LogLine;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The event streams of {@code /v1/instances}: a log followed, and the instances watched. */
final class InstanceStreams {
  /**
   * Lines asked for at once: with lines at the store's 8 KiB cut, a batch is at most about 1.6 MiB
   * beyond the connection's write queue; typical lines make it a few tens of KiB.
   */
  static final int LOG_BATCH = 200;

  /** Instance events asked for at once. */
  static final int WATCH_BATCH = 100;

  private InstanceStreams() {}

  /**
   * A log's lines as events, each with its number as id and the line as data; a {@code dropped}
   * event where lines the follower had not read were dropped; an {@code end} event last.
   */
  static EventStream.Source logs(LogFollow follow) {
    return new EventStream.Source() {
      @Override
      public CompletionStage<Batch> next() {
        return follow.next(LOG_BATCH).thenApply(InstanceStreams::logEvents);
      }

      @Override
      public void close() {
        follow.close();
      }
    };
  }

  private static Batch logEvents(LogChunk chunk) {
    List<Event> events = new ArrayList<>(chunk.lines().size() + 2);
    if (chunk.skippedLines() > 0) {
      long next = chunk.lines().isEmpty() ? chunk.nextLine() : chunk.lines().get(0).number();
      events.add(
          named(
              "dropped", JsonCodec.write(new StreamEvents.LogDropped(chunk.skippedLines(), next))));
    }
    for (LogLine line : chunk.lines()) {
      events.add(
          new Event(Optional.of(LogMapper.eventId(line.number())), Optional.empty(), line.text()));
    }
    chunk.end().ifPresent(end -> events.add(named("end", JsonCodec.write(LogMapper.toEvent(end)))));
    return new Batch(events, chunk.end().isPresent());
  }

  /**
   * The watched instances as {@code instance} events (data: the instance as listing it shows it):
   * first the snapshot, then a {@code synced} event, then one per change. It never ends by itself.
   */
  static EventStream.Source watch(InstanceWatch watch) {
    return new EventStream.Source() {
      @Override
      public CompletionStage<Batch> next() {
        return watch.next(WATCH_BATCH).thenApply(InstanceStreams::watchEvents);
      }

      @Override
      public void close() {
        watch.close();
      }
    };
  }

  private static Batch watchEvents(List<WatchEvent> watched) {
    List<Event> events = new ArrayList<>(watched.size());
    for (WatchEvent event : watched) {
      if (event.kind() == WatchEvent.Kind.SYNCED) {
        events.add(
            named("synced", JsonCodec.write(new StreamEvents.WatchSynced(event.snapshotSize()))));
      } else {
        events.add(
            named(
                "instance",
                JsonCodec.write(InstanceMapper.toResponse(event.instance().orElseThrow()))));
      }
    }
    return new Batch(events, false);
  }

  private static Event named(String name, byte[] json) {
    return new Event(Optional.empty(), Optional.of(name), new String(json, StandardCharsets.UTF_8));
  }
}
