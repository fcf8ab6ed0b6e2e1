package dev.toolrun.adapter.k8s.run;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.client.ApiRateLimiter;
import dev.toolrun.adapter.k8s.job.JobFactory;
import dev.toolrun.adapter.k8s.run.OutputMark.Position;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.ports.out.LogMark;
import dev.toolrun.ports.out.LogPage;
import dev.toolrun.ports.out.LogStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.utils.URLUtils;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the output of workload containers into the {@link LogStore} while they run, so logs stay
 * readable after the pods are gone. One follow-mode stream per pod; the HTTP client pushes the
 * bytes, so no thread waits on a stream.
 *
 * <p>Every line comes with the kubelet's timestamp, and the lines of each chunk are stored with an
 * {@link OutputMark} saying where each pod's stored output ends. A stream that breaks, or ends
 * while the cache does not show the container ended, is reopened from there ({@code sinceTime}, and
 * the lines already stored at that instant skipped), and so is every stream after a restart of
 * toolrun: with a durable store no line is lost or repeated. Whatever the stream carries without a
 * timestamp is the kubelet's or the runtime's own error (it writes them into the body it already
 * started), never the tool's output: it goes to toolrun's log and ends the stream as broken. When
 * lines are lost (the resume point is no longer in the pod's log, the stream cannot be reopened)
 * the log store is told of a gap, so the log says it is incomplete.
 */
public final class LogFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogFollower.class);
  private static final int MAX_RECONNECTS = 5;
  private static final int TAIL_LINES = 20;
  // How long a stream that ended by itself waits for the cache to show its container ended,
  // before it is taken as cut and reopened.
  private static final long[] END_CHECKS_MS = {0, 250, 500, 1000, 2000};

  private final KubernetesClient client;
  private final String namespace;
  private final LogStore logs;
  private final ApiRateLimiter limiter;
  private final ScheduledExecutorService scheduler;
  private final ToolEnded toolEnded;
  private final Map<String, Stream> streams = new ConcurrentHashMap<>();
  private final Map<InstanceId, OutputMark> marks = new ConcurrentHashMap<>();
  // The last lines of each instance, kept for failure reasons that quote them (a crash loop).
  private final Map<InstanceId, ArrayDeque<String>> tails = new ConcurrentHashMap<>();

  /** Whether the tool container of a pod of an instance has ended. */
  @FunctionalInterface
  public interface ToolEnded {
    boolean test(InstanceId id, String pod);
  }

  /** What {@code cache} says of a pod's tool container. */
  public static ToolEnded seenIn(WorkloadCache cache) {
    return (id, pod) ->
        cache.pods(id).stream()
            .filter(p -> pod.equals(p.getMetadata().getName()))
            .anyMatch(p -> WorkloadStatus.toolTermination(p).isPresent());
  }

  /**
   * @param toolEnded whether a pod's tool container has ended, so a stream that ends is known to be
   *     whole
   */
  public LogFollower(
      KubernetesClient client,
      String namespace,
      LogStore logs,
      ApiRateLimiter limiter,
      ScheduledExecutorService scheduler,
      ToolEnded toolEnded) {
    this.client = requireNonNull(client, "client is null");
    this.namespace = requireNonNull(namespace, "namespace is null");
    this.logs = requireNonNull(logs, "logs is null");
    this.limiter = requireNonNull(limiter, "limiter is null");
    this.scheduler = requireNonNull(scheduler, "scheduler is null");
    this.toolEnded = requireNonNull(toolEnded, "toolEnded is null");
  }

  /**
   * Follows the tool container of {@code pod} unless it is followed already, from where its output
   * stored so far ends.
   *
   * @param linePrefix put before every line, to tell the pods of a parallel run apart
   * @return completes when the stream has ended: the container exited and all its output is stored
   */
  CompletableFuture<Void> follow(InstanceId id, String pod, String linePrefix) {
    return streams.computeIfAbsent(
            pod,
            p -> {
              Stream stream = new Stream(id, p, linePrefix);
              stream.resume(markOf(id));
              stream.open();
              return stream;
            })
        .done;
  }

  private OutputMark markOf(InstanceId id) {
    return marks.computeIfAbsent(
        id,
        k -> logs.mark(k).map(LogMark::value).map(OutputMark::parse).orElseGet(OutputMark::new));
  }

  /** Whether {@code pod}'s output is being, or was, followed. */
  boolean follows(String pod) {
    return streams.containsKey(pod);
  }

  /** The end of every stream of instance {@code id}. */
  CompletableFuture<Void> allDone(InstanceId id) {
    return CompletableFuture.allOf(
        streams.values().stream()
            .filter(s -> s.id.equals(id))
            .map(s -> s.done)
            .toArray(CompletableFuture[]::new));
  }

  /** The last lines instance {@code id} wrote, oldest first. */
  List<String> tail(InstanceId id) {
    ArrayDeque<String> tail = tails.get(id);
    if (tail == null) {
      return List.of();
    }
    synchronized (tail) {
      return List.copyOf(tail);
    }
  }

  private void remember(InstanceId id, List<String> lines) {
    ArrayDeque<String> tail = tails.computeIfAbsent(id, k -> new ArrayDeque<>());
    synchronized (tail) {
      for (String line : lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size())) {
        if (tail.size() == TAIL_LINES) {
          tail.removeFirst();
        }
        tail.addLast(line);
      }
    }
  }

  /** Stops following instance {@code id} and forgets its streams. */
  void forget(InstanceId id) {
    tails.remove(id);
    marks.remove(id);
    streams
        .values()
        .removeIf(
            s -> {
              if (s.id.equals(id)) {
                s.stop();
                return true;
              }
              return false;
            });
  }

  @Override
  public void close() {
    streams.values().forEach(Stream::stop);
    streams.clear();
  }

  /** One pod's stream, reopened after a break. */
  private final class Stream {
    final InstanceId id;
    final String pod;
    final String prefix;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile boolean stopped;
    private volatile AsyncBody body;
    private int reconnects;
    private int emptyEnds;
    // Resume point: the last timestamp stored and how many lines carried it, and how many stored
    // lines follow it (stored by a toolrun that crashed before their mark was).
    private Instant lastTimestamp;
    private int linesAtLastTimestamp;
    private long storedAfterMark;
    private OutputMark mark = new OutputMark();

    Stream(InstanceId id, String pod, String prefix) {
      this.id = id;
      this.pod = pod;
      this.prefix = prefix;
    }

    /** Starts from where {@code stored} says this pod's output ends, if it says. */
    void resume(OutputMark stored) {
      mark = stored;
      stored
          .of(pod)
          .ifPresent(
              position -> {
                lastTimestamp = position.timestamp();
                linesAtLastTimestamp = position.linesAtTimestamp();
                storedAfterMark = storedAfterMark();
              });
    }

    /** This pod's lines among those stored after the store's mark. */
    private long storedAfterMark() {
      long after = logs.mark(id).map(LogMark::linesAfter).orElse(0L);
      if (after == 0) {
        return 0;
      }
      LogPage unmarked = logs.tail(id, (int) Math.min(after, 10_000));
      return unmarked.lines().stream().filter(l -> l.text().startsWith(prefix)).count();
    }

    void open() {
      if (stopped) {
        done.complete(null);
        return;
      }
      if (!limiter.tryAcquire(1)) {
        scheduler.schedule(this::open, 50, TimeUnit.MILLISECONDS);
        return;
      }
      TimestampedLines lines =
          new TimestampedLines(lastTimestamp, linesAtLastTimestamp, storedAfterMark);
      LineSplitter sink = new LineSplitter(lines);
      HttpClient http = client.getHttpClient();
      HttpRequest request = http.newHttpRequestBuilder().uri(logUrl()).build();
      http.consumeBytes(
              request,
              (buffers, body) -> {
                for (ByteBuffer buffer : buffers) {
                  sink.write(buffer);
                }
                lines.store();
                body.consume();
              })
          .whenComplete(
              (response, failure) -> {
                if (failure != null) {
                  closed(failure, lines);
                  return;
                }
                AsyncBody body = response.body();
                if (!response.isSuccessful()) {
                  body.cancel();
                  closed(
                      new IOException(
                          "the API server answered "
                              + response.code()
                              + " to "
                              + request.uri().getPath()),
                      lines);
                  return;
                }
                this.body = body;
                if (stopped) {
                  body.cancel();
                }
                body.done()
                    .whenComplete(
                        (ended, broken) -> {
                          sink.close();
                          lines.store();
                          closed(broken, lines);
                        });
                body.consume();
              });
    }

    /**
     * The follow-mode log request of the tool container, sent as is: fabric8's {@code watchLog}
     * would first look the pod up, which costs a request per pod when the informer has already seen
     * the container start.
     */
    private String logUrl() {
      StringBuilder query =
          new StringBuilder("?container=")
              .append(JobFactory.CONTAINER)
              .append("&timestamps=true&follow=true");
      if (lastTimestamp != null) {
        query
            .append("&sinceTime=")
            .append(URLEncoder.encode(lastTimestamp.toString(), StandardCharsets.UTF_8));
      }
      return URLUtils.join(
              String.valueOf(client.getMasterUrl()),
              "api",
              "v1",
              "namespaces",
              namespace,
              "pods",
              pod,
              "log")
          + query;
    }

    private void closed(Throwable failure, TimestampedLines lines) {
      if (stopped) {
        done.complete(null);
        return;
      }
      Throwable broken =
          failure != null
              ? failure
              : lines.runtimeError == null ? null : new IOException(lines.runtimeError);
      if (broken == null) {
        endedByItself(lines.stored > 0, 0);
        return;
      }
      if (++reconnects > MAX_RECONNECTS) {
        LOG.warn(
            "gave up following the output of pod {} after {} attempts: {}",
            pod,
            reconnects,
            broken.toString());
        logs.reportGap(
            id,
            "toolrun could not read the output of pod "
                + pod
                + " to its end ("
                + broken.getMessage()
                + "); later lines may be missing");
        done.complete(null);
        return;
      }
      LOG.debug("output stream of pod {} broke ({}); reopening", pod, broken.toString());
      scheduler.schedule(this::open, 500L * reconnects, TimeUnit.MILLISECONDS);
    }

    /**
     * A stream ended without an error: whole if the container ended, else cut (a kubelet's stream
     * timeout, a log rotation) and reopened once the cache had its time to tell.
     */
    private void endedByItself(boolean broughtLines, int check) {
      if (stopped || toolEnded.test(id, pod)) {
        done.complete(null);
        return;
      }
      if (check + 1 < END_CHECKS_MS.length) {
        scheduler.schedule(
            () -> endedByItself(broughtLines, check + 1),
            END_CHECKS_MS[check + 1],
            TimeUnit.MILLISECONDS);
        return;
      }
      emptyEnds = broughtLines ? 0 : emptyEnds + 1;
      if (emptyEnds > MAX_RECONNECTS) {
        logs.reportGap(
            id,
            "the output stream of pod "
                + pod
                + " kept ending while its container was not seen to end; later lines may be"
                + " missing");
        done.complete(null);
        return;
      }
      LOG.debug("output stream of pod {} ended before its container did; reopening", pod);
      open();
    }

    void stop() {
      stopped = true;
      AsyncBody b = body;
      if (b != null) {
        b.cancel();
      }
      done.complete(null);
    }

    /** Strips the timestamps from the stream's lines, skips those stored already, stores them. */
    private final class TimestampedLines implements Consumer<String> {
      private final Instant resumeAfter;
      private int toSkipAtResume;
      private long toSkipAfterResume;
      private boolean checkedResume;
      private final List<String> pending = new ArrayList<>();
      long stored;
      volatile String runtimeError;

      TimestampedLines(Instant resumeAfter, int seenAtResume, long storedAfter) {
        this.resumeAfter = resumeAfter;
        this.toSkipAtResume = seenAtResume;
        this.toSkipAfterResume = storedAfter;
      }

      @Override
      public void accept(String raw) {
        int space = raw.indexOf(' ');
        Optional<Instant> at = space > 0 ? parse(raw.substring(0, space)) : Optional.empty();
        if (at.isEmpty()) {
          // With timestamps=true every line of the container's own carries one: this is what the
          // kubelet or the runtime wrote into the stream (an rpc error), not the tool.
          if (!raw.isBlank()) {
            runtimeError = raw.strip();
            LOG.warn("the output stream of pod {} carried an error: {}", pod, runtimeError);
          }
          return;
        }
        Instant timestamp = at.get();
        String text = raw.substring(space + 1);
        if (resumeAfter != null && skipped(timestamp)) {
          return;
        }
        if (timestamp.equals(lastTimestamp)) {
          linesAtLastTimestamp++;
        } else {
          lastTimestamp = timestamp;
          linesAtLastTimestamp = 1;
        }
        pending.add(prefix + text);
      }

      /** Whether a line is one stored before this stream; notices a resume point that is gone. */
      private boolean skipped(Instant timestamp) {
        // sinceTime is only precise to the second: what the previous stream stored comes again.
        if (timestamp.isBefore(resumeAfter)) {
          return true;
        }
        if (timestamp.equals(resumeAfter) && toSkipAtResume > 0) {
          toSkipAtResume--;
          return true;
        }
        if (!checkedResume) {
          checkedResume = true;
          if (toSkipAtResume > 0) {
            // The lines stored last are no longer in the pod's log: it was rotated (or removed)
            // between the last read and this one, and what was written in between is gone.
            logs.reportGap(
                id,
                "the output of pod "
                    + pod
                    + " after "
                    + resumeAfter
                    + " was no longer all in its log when toolrun read it again (the log was"
                    + " rotated); lines written around then are missing");
            toSkipAtResume = 0;
          }
        }
        if (toSkipAfterResume > 0) {
          toSkipAfterResume--;
          return true;
        }
        return false;
      }

      /** Stores the lines read so far with the mark that says where they end. */
      void store() {
        if (pending.isEmpty()) {
          return;
        }
        List<String> batch = List.copyOf(pending);
        pending.clear();
        stored += batch.size();
        storedAfterMark = 0;
        synchronized (mark) {
          mark.put(pod, new Position(lastTimestamp, linesAtLastTimestamp));
          logs.append(id, batch, mark.toString());
        }
        remember(id, batch);
      }

      private Optional<Instant> parse(String timestamp) {
        try {
          return Optional.of(Instant.parse(timestamp));
        } catch (DateTimeParseException notATimestamp) {
          return Optional.empty();
        }
      }
    }
  }
}
