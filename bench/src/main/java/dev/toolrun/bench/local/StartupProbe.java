package dev.toolrun.bench.local;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Measures startup: from starting toolrun's JVM ({@code java -jar}, in-memory runtime, default
 * settings) to its first 200 from {@code GET /health/ready}, repeated, each time in a new JVM.
 *
 * <p>Usage: {@code StartupProbe <toolrun.jar> <repeats> <log file> [<figure> <JVM option>...]}. In
 * place of the jar, the name of a main class of the probe's classpath that takes the port as its
 * argument and answers every request (the floor, {@code BareHelloServer}) starts that instead.
 * Prints one {@code RESULT} line, named {@code startup.ready} unless a figure is given; each run's
 * output goes to the log file, overwritten by the next run. The JVM options go before {@code -jar}
 * (a class-data archive, say). An executable file in place of the jar is a launcher, {@code
 * bin/toolrun-server}: started as it is, with the JVM options as {@code JAVA_OPTS}.
 */
public final class StartupProbe {
  private static final long TARGET_MEDIAN_MS = 1500;
  private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(60);

  /**
   * Between two polls: short against the time measured, long enough that polling does not take a
   * core away from the JVM that is starting (the machine has two).
   */
  private static final Duration POLL_INTERVAL = Duration.ofMillis(5);

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(1))
          .build();
  private final Path jar;
  private final Path log;
  private final List<String> jvmOptions;

  private StartupProbe(Path jar, Path log, List<String> jvmOptions) {
    this.jar = jar;
    this.log = log;
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length < 3) {
      throw new IllegalArgumentException(
          "usage: StartupProbe <toolrun.jar> <repeats> <log file> [<figure> <JVM option>...]");
    }
    String figure = args.length > 3 ? args[3] : "startup.ready";
    List<String> jvmOptions = args.length > 4 ? List.of(args).subList(4, args.length) : List.of();
    StartupProbe probe = new StartupProbe(Path.of(args[0]), Path.of(args[2]), jvmOptions);
    int repeats = Integer.parseInt(args[1]);
    probe.loadTheHttpClient();
    List<Double> millis = new ArrayList<>();
    for (int i = 0; i < repeats; i++) {
      millis.add(probe.timeToReady().toNanos() / 1e6);
    }
    Spread ready = Spread.of(millis);
    System.out.println(
        new ResultLine(figure)
            .with("ready_ms", ready)
            .with("repeats", repeats)
            .target("ready_ms<=" + TARGET_MEDIAN_MS, ready.median() <= TARGET_MEDIAN_MS));
  }

  /**
   * One refused request, so that the probe's own class loading and JIT do not compete with the
   * first JVM it measures.
   */
  private void loadTheHttpClient() throws IOException, InterruptedException {
    try {
      http.send(readiness(freePort()), HttpResponse.BodyHandlers.discarding());
    } catch (ConnectException expected) {
      // Nothing listens there: only the loading mattered.
    }
  }

  private Duration timeToReady() throws IOException, InterruptedException {
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    boolean launcher = !jar.toString().endsWith(".jar") && Files.isExecutable(jar);
    if (launcher) {
      // bin/toolrun-server: it finds the jar (TOOLRUN_JAR) and takes the JVM options as JAVA_OPTS.
      command.clear();
      command.add(jar.toString());
    } else if (jar.toString().endsWith(".jar")) {
      command.addAll(List.of("-jar", jar.toString()));
    } else {
      // The floor: a main class of the probe's own classpath (BareHelloServer), told the port.
      command.addAll(
          List.of(
              "-cp",
              System.getProperty("java.class.path"),
              jar.toString(),
              Integer.toString(port)));
    }
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("TOOLRUN_HTTP_HOST", "127.0.0.1");
    env.put("TOOLRUN_HTTP_PORT", Integer.toString(port));
    env.put("TOOLRUN_AUTH_TOKEN", "startup-probe");
    if (launcher) {
      env.put("JAVA_HOME", System.getProperty("java.home"));
      env.put("JAVA_OPTS", String.join(" ", jvmOptions));
    }
    HttpRequest readiness = readiness(port);
    long start = System.nanoTime();
    Process toolrun = builder.start();
    try {
      while (!answersReady(readiness)) {
        if (!toolrun.isAlive()) {
          throw new IllegalStateException(
              "toolrun exited with " + toolrun.exitValue() + " before it was ready; see " + log);
        }
        if (System.nanoTime() - start > GIVE_UP_AFTER.toNanos()) {
          throw new IllegalStateException(
              "toolrun was not ready after " + GIVE_UP_AFTER + "; see " + log);
        }
        Thread.sleep(POLL_INTERVAL.toMillis());
      }
      return Duration.ofNanos(System.nanoTime() - start);
    } finally {
      stop(toolrun);
    }
  }

  private boolean answersReady(HttpRequest readiness) throws IOException, InterruptedException {
    try {
      return http.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (ConnectException notListeningYet) {
      return false;
    }
  }

  /**
   * No timeout short of giving up: the first answer is slow (the server loads and compiles its
   * request path then), and that time is part of what is measured.
   */
  private static HttpRequest readiness(int port) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
        .timeout(GIVE_UP_AFTER)
        .build();
  }

  /**
   * A port nothing listens on now. Another process may take it before toolrun does; then toolrun
   * fails to start and the probe says so.
   */
  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** SIGTERM, as an operator would stop it, and wait: the next run must not share the machine. */
  private static void stop(Process toolrun) throws InterruptedException {
    toolrun.destroy();
    if (!toolrun.waitFor(20, TimeUnit.SECONDS)) {
      toolrun.destroyForcibly().waitFor();
    }
  }
}
