package dev.toolrun.adapter.k8s;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts every request a fabric8 client sends, retries included, by verb and resource ({@code
 * create jobs}, {@code watch pods}, {@code get pods/log}...): installed on the client with {@code
 * withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("count", counter))}.
 */
public final class ApiRequestCounter implements Interceptor {
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final java.util.Queue<String> sent = new java.util.concurrent.ConcurrentLinkedQueue<>();

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    counts
        .computeIfAbsent(describe(request.method(), request.uri()), k -> new LongAdder())
        .increment();
    sent.add(
        request.method()
            + " "
            + request.uri().getRawPath()
            + (request.uri().getRawQuery() == null ? "" : "?" + request.uri().getRawQuery()));
  }

  /** {@code verb resource[/subresource]}, the verb as the API server's audit log names it. */
  static String describe(String method, URI uri) {
    String[] path = uri.getPath().replaceAll("^/+|/+$", "").split("/");
    // /api/v1/namespaces/ns/pods/name/log or /apis/batch/v1/namespaces/ns/jobs[/name]
    int start = path[0].equals("api") ? 2 : 3;
    String resource;
    boolean named;
    if (path.length > start + 1 && path[start].equals("namespaces")) {
      resource = path.length > start + 2 ? path[start + 2] : "namespaces";
      named = path.length > start + 3;
      if (path.length > start + 4) {
        resource += "/" + path[start + 4];
      }
    } else {
      resource = path.length > start ? path[start] : "";
      named = path.length > start + 1;
    }
    String query = uri.getQuery() == null ? "" : uri.getQuery();
    String verb =
        switch (method) {
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> "delete";
          default -> query.contains("watch=true") ? "watch" : named ? "get" : "list";
        };
    return verb + " " + resource;
  }

  /** The counts so far, sorted by key. */
  public Map<String, Long> snapshot() {
    Map<String, Long> copy = new TreeMap<>();
    counts.forEach((key, count) -> copy.put(key, count.sum()));
    return copy;
  }

  public long total() {
    return snapshot().values().stream().mapToLong(Long::longValue).sum();
  }

  /** Every request since the last reset, as {@code METHOD path?query}, for explaining a count. */
  public List<String> sent() {
    return List.copyOf(sent);
  }

  public void reset() {
    counts.clear();
    sent.clear();
  }

  /** Requests that change something: create, update, patch, delete. */
  public static boolean isWrite(String key) {
    return key.startsWith("create ")
        || key.startsWith("update ")
        || key.startsWith("patch ")
        || key.startsWith("delete ");
  }
}
