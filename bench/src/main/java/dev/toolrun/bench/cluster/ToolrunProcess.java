package dev.toolrun.bench.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * toolrun as its users run it, {@code java -jar toolrun.jar}, in a process of its own on the
 * kubernetes runtime, acting as kube-local's unprivileged runner in one namespace.
 */
final class ToolrunProcess implements AutoCloseable {
  static final String TOKEN = "bench-token";
  private static final Duration STARTUP = Duration.ofSeconds(120);
  private static final Duration READY_PROBE_INTERVAL = Duration.ofMillis(100);
  private static final Duration LOG_READ_INTERVAL = Duration.ofMillis(250);
  private static final Pattern INSTANCE_ID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private final Process process;
  private final int port;
  private final Path log;

  private ToolrunProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts toolrun on {@code namespace} with {@code settings} (toolrun's environment variables) and
   * waits until it is ready, which means its informers have listed the namespace.
   */
  static ToolrunProcess start(
      Path jar, String namespace, String context, Map<String, String> settings, Path log) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar.toAbsolutePath() + " is missing: build the app first");
    }
    int port = freePort();
    ProcessBuilder builder =
        new ProcessBuilder(
            ProcessHandle.current().info().command().orElse("java"), "-jar", jar.toString());
    Map<String, String> env = builder.environment();
    // toolrun reads every TOOLRUN_* variable: the caller's shell must not change what is measured.
    env.keySet().removeIf(name -> name.startsWith("TOOLRUN_"));
    Map<String, String> toolrun = new HashMap<>(settings);
    toolrun.put("TOOLRUN_RUNTIME", "kubernetes");
    toolrun.put("TOOLRUN_KUBERNETES_PROFILE", "local-cluster");
    toolrun.put("TOOLRUN_KUBERNETES_NAMESPACE", namespace);
    toolrun.put("TOOLRUN_KUBERNETES_CONTEXT", context);
    toolrun.put("TOOLRUN_AUTH_TOKEN", TOKEN);
    toolrun.put("TOOLRUN_HTTP_HOST", "127.0.0.1");
    toolrun.put("TOOLRUN_HTTP_PORT", Integer.toString(port));
    env.putAll(toolrun);
    try {
      Files.createDirectories(log.getParent());
      builder.redirectErrorStream(true).redirectOutput(log.toFile());
      ToolrunProcess started = new ToolrunProcess(builder.start(), port, log);
      started.awaitReady();
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  /**
   * Waits until toolrun's log has named every one of {@code instanceIds}, whatever it said of them.
   *
   * @return whether it did within {@code patience}
   */
  // NOTE: polls a local file; nothing on the cluster is polled.
  boolean awaitLogMentions(Set<String> instanceIds, Duration patience) {
    Set<String> unmentioned = new HashSet<>(instanceIds);
    long linesRead = 0;
    long deadline = System.nanoTime() + patience.toNanos();
    while (!unmentioned.isEmpty() && System.nanoTime() < deadline) {
      try (Stream<String> lines = Files.lines(log)) {
        List<String> fresh = lines.skip(linesRead).toList();
        linesRead += fresh.size();
        fresh.forEach(
            line ->
                INSTANCE_ID.matcher(line).results().forEach(id -> unmentioned.remove(id.group())));
      } catch (IOException | UncheckedIOException e) {
        // A line cut in half while written: read again from the last whole one.
      }
      if (!unmentioned.isEmpty()) {
        pause(LOG_READ_INTERVAL);
      }
    }
    return unmentioned.isEmpty();
  }

  // NOTE: polls, on purpose: readiness is toolrun's own answer, and startup is not measured.
  private void awaitReady() {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build();
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "toolrun exited with " + process.exitValue() + " while starting; see " + log);
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // Not listening yet: try again.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for toolrun", e);
      }
      pause(READY_PROBE_INTERVAL);
    }
    close();
    throw new IllegalStateException(
        "toolrun was not ready within " + STARTUP.toSeconds() + " s; see " + log);
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for toolrun", e);
    }
  }

  /** Stops toolrun as an operator would (SIGTERM) and waits until it is gone. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }

  @Override
  public String toString() {
    return "toolrun process " + process.pid() + " on port " + port;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
