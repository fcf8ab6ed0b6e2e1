package dev.toolrun.adapter.k8s.client;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * What the Kubernetes adapter measures of its own client, on a Micrometer registry (a facade: the
 * app hands in the metrics adapter's): every API request by verb, resource and status ({@code
 * toolrun.kubernetes.requests}), the time callers waited on the client-side rate limiter ({@code
 * toolrun.kubernetes.rate.limiter.wait}) and how long informer events waited for the reconciler's
 * thread ({@code toolrun.informer.event.lag}).
 *
 * <p>Labels are bounded: the verb is the HTTP method or {@code watch}, the resource is the path's
 * resource type (with its subresource, {@code pods/log}), never a name; the code is the status, or
 * {@code none} when no answer came.
 */
public final class ApiMetrics {
  /** Counts nothing. */
  public static final ApiMetrics NONE = new ApiMetrics(new CompositeMeterRegistry());

  private static final Duration[] LAG_BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(5),
    Duration.ofSeconds(30)
  };

  private final MeterRegistry registry;
  private final Timer eventLag;

  public ApiMetrics(MeterRegistry registry) {
    this.registry = requireNonNull(registry, "registry is null");
    this.eventLag =
        Timer.builder("toolrun.informer.event.lag")
            .description(
                "How long an informer event (a Job or pod changed) waited before the reconciler"
                    + " looked at its run")
            .serviceLevelObjectives(LAG_BUCKETS)
            .register(registry);
  }

  /** Sees every request of a client and counts it once its answer, or its failure, is known. */
  public Interceptor interceptor() {
    return new Interceptor() {
      @Override
      public void after(
          HttpRequest request,
          HttpResponse<?> response,
          AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        count(request, Integer.toString(response.code()));
      }

      @Override
      public void afterConnectionFailure(HttpRequest request, Throwable failure) {
        count(request, "none");
      }
    };
  }

  /** Where a rate limiter named {@code limiter} tells how long a caller waited for it. */
  public Consumer<Duration> limiterWaits(String limiter) {
    Timer waits =
        Timer.builder("toolrun.kubernetes.rate.limiter.wait")
            .description("Time callers waited on toolrun's client-side rate limiter")
            .tag("limiter", limiter)
            .register(registry);
    return waits::record;
  }

  /** Where the reconciler tells how long an event waited for it. */
  public Consumer<Duration> eventLag() {
    return eventLag::record;
  }

  private void count(HttpRequest request, String code) {
    URI uri = request.uri();
    Counter.builder("toolrun.kubernetes.requests")
        .description("Requests toolrun sent to the Kubernetes API server")
        .tag("verb", verb(request.method(), uri))
        .tag("resource", resource(uri.getPath()))
        .tag("code", code)
        .register(registry)
        .increment();
  }

  static String verb(String method, URI uri) {
    String query = uri.getRawQuery();
    if (query != null && (query.contains("watch=true") || query.contains("watch=1"))) {
      return "watch";
    }
    return method.toLowerCase(Locale.ROOT);
  }

  /**
   * The resource a path names: {@code /api/v1/namespaces/ns/pods/p/log} is {@code pods/log}, {@code
   * /apis/batch/v1/namespaces/ns/jobs} is {@code jobs}, {@code /readyz} is {@code readyz}.
   */
  static String resource(String path) {
    String[] parts = path == null ? new String[0] : path.replaceAll("^/+", "").split("/");
    int at;
    if (parts.length >= 2 && parts[0].equals("api")) {
      at = 2;
    } else if (parts.length >= 3 && parts[0].equals("apis")) {
      at = 3;
    } else {
      return parts.length == 0 || parts[0].isEmpty() ? "none" : parts[0];
    }
    if (parts.length > at + 1 && parts[at].equals("namespaces")) {
      at += 2;
    }
    if (parts.length <= at) {
      return parts[at - 2].equals("namespaces") ? "namespaces" : "none";
    }
    String type = parts[at];
    return parts.length > at + 2 ? type + "/" + parts[at + 2] : type;
  }
}
