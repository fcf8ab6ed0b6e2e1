package dev.toolrun.adapter.k8s.run;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.client.ApiRateLimiter;
import dev.toolrun.adapter.k8s.job.JobFactory;
import dev.toolrun.domain.instance.InstanceId;
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
 * bytes, so no thread waits on a stream. A stream that breaks while the container still runs is
 * reopened from the last line's timestamp, and lines seen before are skipped.
 *
 * <p>A little over 300 lines: opening, reopening and draining one pod's stream share its state, so
 * they stay in one class; splitting lines is already {@link LineSplitter}'s.
 */
public final class LogFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogFollower.class);
  private static final int MAX_RECONNECTS = 5;

  private final KubernetesClient client;
  private final String namespace;
  private final LogStore logs;
  private final ApiRateLimiter limiter;
  private final ScheduledExecutorService scheduler;
  private final Map<String, Stream> streams = new ConcurrentHashMap<>();
  // The last lines of each instance, kept for failure reasons that quote them (a crash loop).
  private final Map<InstanceId, java.util.ArrayDeque<String>> tails = new ConcurrentHashMap<>();
  private static final int TAIL_LINES = 20;

  public LogFollower(
      KubernetesClient client,
      String namespace,
      LogStore logs,
      ApiRateLimiter limiter,
      ScheduledExecutorService scheduler) {
    this.client = requireNonNull(client, "client is null");
    this.namespace = requireNonNull(namespace, "namespace is null");
    this.logs = requireNonNull(logs, "logs is null");
    this.limiter = requireNonNull(limiter, "limiter is null");
    this.scheduler = requireNonNull(scheduler, "scheduler is null");
  }

  /**
   * Follows the tool container of {@code pod} unless it is followed already.
   *
   * @param linePrefix put before every line, to tell the pods of a parallel run apart
   * @return completes when the stream has ended: the container exited and all its output is stored
   */
  CompletableFuture<Void> follow(InstanceId id, String pod, String linePrefix) {
    return streams.computeIfAbsent(
            pod,
            p -> {
              Stream stream = new Stream(id, p, linePrefix);
              stream.open();
              return stream;
            })
        .done;
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
    java.util.ArrayDeque<String> tail = tails.get(id);
    if (tail == null) {
      return List.of();
    }
    synchronized (tail) {
      return List.copyOf(tail);
    }
  }

  private void remember(InstanceId id, String line) {
    java.util.ArrayDeque<String> tail =
        tails.computeIfAbsent(id, k -> new java.util.ArrayDeque<>());
    synchronized (tail) {
      if (tail.size() == TAIL_LINES) {
        tail.removeFirst();
      }
      tail.addLast(line);
    }
  }

  /** Stops following instance {@code id} and forgets its streams. */
  void forget(InstanceId id) {
    tails.remove(id);
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
    // Resume point: the last timestamp stored and how many lines carried it.
    private Instant lastTimestamp;
    private int linesAtLastTimestamp;

    Stream(InstanceId id, String pod, String prefix) {
      this.id = id;
      this.pod = pod;
      this.prefix = prefix;
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
      LineSplitter sink =
          new LineSplitter(new TimestampedLines(lastTimestamp, linesAtLastTimestamp));
      HttpClient http = client.getHttpClient();
      HttpRequest request = http.newHttpRequestBuilder().uri(logUrl()).build();
      http.consumeBytes(
              request,
              (buffers, body) -> {
                for (ByteBuffer buffer : buffers) {
                  sink.write(buffer);
                }
                body.consume();
              })
          .whenComplete(
              (response, failure) -> {
                if (failure != null) {
                  closed(failure);
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
                              + request.uri().getPath()));
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
                          closed(broken);
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

    private void closed(Throwable failure) {
      if (failure == null || stopped) {
        done.complete(null);
        return;
      }
      if (++reconnects > MAX_RECONNECTS) {
        LOG.warn(
            "gave up following the output of pod {} after {} attempts: {}",
            pod,
            reconnects,
            failure.toString());
        logs.append(
            id,
            List.of(
                "[toolrun: the output stream of pod "
                    + pod
                    + " broke; later lines may be missing]"));
        done.complete(null);
        return;
      }
      LOG.debug("output stream of pod {} broke ({}); reopening", pod, failure.toString());
      scheduler.schedule(this::open, 500L * reconnects, TimeUnit.MILLISECONDS);
    }

    void stop() {
      stopped = true;
      AsyncBody b = body;
      if (b != null) {
        b.cancel();
      }
      done.complete(null);
    }

    /** Strips the timestamps from the stream's lines and stores the lines. */
    private final class TimestampedLines implements Consumer<String> {
      private final Instant resumeAfter;
      private int toSkipAtResume;

      TimestampedLines(Instant resumeAfter, int seenAtResume) {
        this.resumeAfter = resumeAfter;
        this.toSkipAtResume = seenAtResume;
      }

      @Override
      public void accept(String raw) {
        int space = raw.indexOf(' ');
        Optional<Instant> at = space > 0 ? parse(raw.substring(0, space)) : Optional.empty();
        String text = at.isPresent() ? raw.substring(space + 1) : raw;
        if (at.isPresent() && resumeAfter != null) {
          // sinceTime is only precise to the second: skip what the previous stream stored.
          if (at.get().isBefore(resumeAfter)) {
            return;
          }
          if (at.get().equals(resumeAfter) && toSkipAtResume > 0) {
            toSkipAtResume--;
            return;
          }
        }
        if (at.isPresent()) {
          if (at.get().equals(lastTimestamp)) {
            linesAtLastTimestamp++;
          } else {
            lastTimestamp = at.get();
            linesAtLastTimestamp = 1;
          }
        }
        logs.append(id, List.of(prefix + text));
        remember(id, prefix + text);
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
