package dev.toolrun.adapter.k8s.pool;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.WebSocket;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One exec into a pod's container over the API server's WebSocket exec protocol ({@code
 * v4.channel.k8s.io}): the command in the URL, {@code stdin} sent whole as the first frame, the
 * exit code read from the status channel. fabric8's own exec first lists the pod to wait until it
 * is ready (one more request before every claim, and the pod is known to be running from the
 * informer's cache); this sends only the exec.
 *
 * <p>Channels: 0 standard input, 1 standard output, 2 standard error, 3 the status, a JSON {@code
 * Status} whose {@code Success} means exit code 0 and whose {@code NonZeroExitCode} names the code.
 */
final class PodExec {
  private static final String PROTOCOL = "v4.channel.k8s.io";
  private static final byte STDIN = 0;
  private static final byte STDOUT = 1;
  private static final byte STDERR = 2;
  private static final byte STATUS = 3;
  private static final Pattern EXIT_CODE =
      Pattern.compile("\"reason\"\\s*:\\s*\"ExitCode\"\\s*,\\s*\"message\"\\s*:\\s*\"(\\d+)\"");

  private PodExec() {}

  /** What an exec ended with: its exit code and what it wrote to standard output and error. */
  record Outcome(int exitCode, String stdout, String stderr) {}

  /**
   * Starts {@code command} in {@code container} of {@code pod} and keeps its standard input open
   * for one later {@link Session#send}: the exec's own cost (the WebSocket to the API server, the
   * API server's stream to the kubelet, the container runtime starting the process) is paid before
   * there is anything to send.
   */
  static Session open(
      KubernetesClient client, String namespace, String pod, String container, String[] command) {
    StringBuilder url =
        new StringBuilder(client.getMasterUrl().toString().replaceAll("/+$", ""))
            .append("/api/v1/namespaces/")
            .append(namespace)
            .append("/pods/")
            .append(pod)
            .append("/exec?container=")
            .append(encode(container))
            .append("&stdin=true&stdout=true&stderr=true");
    for (String part : command) {
      url.append("&command=").append(encode(part));
    }
    Session session = new Session(pod);
    client
        .getHttpClient()
        .newWebSocketBuilder()
        .uri(WebSocket.toWebSocketUri(URI.create(url.toString())))
        .subprotocol(PROTOCOL)
        .buildAsync(session.listener())
        .whenComplete(
            (socket, error) -> {
              if (error != null) {
                session.fail(error);
              }
            });
    return session;
  }

  /**
   * One exec: open once its WebSocket is, then given its standard input once, and ended when the
   * command is.
   */
  static final class Session {
    private final String pod;
    private final CompletableFuture<WebSocket> opened = new CompletableFuture<>();
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private final CompletableFuture<Void> delivered = new CompletableFuture<>();
    private final CompletableFuture<DeliveryOutput.End> ended = new CompletableFuture<>();
    private final DeliveryOutput output = new DeliveryOutput();
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final AtomicBoolean sent = new AtomicBoolean();

    Session(String pod) {
      this.pod = pod;
    }

    /** The pod it runs in. */
    String pod() {
      return pod;
    }

    /** Completes once the command runs and its standard input can be sent. */
    CompletableFuture<WebSocket> opened() {
      return opened;
    }

    /** Completes with how the command ended, or exceptionally when the exec broke. */
    CompletableFuture<Outcome> outcome() {
      return outcome;
    }

    /**
     * For a delivery ({@link dev.toolrun.adapter.k8s.job.PoolRunner#deliver}): completes once it
     * said it woke the runner, or exceptionally when it ended or broke before.
     */
    CompletableFuture<Void> delivered() {
      return delivered;
    }

    /**
     * For a delivery: completes with the runner's report of how the tool ended, once all of it came
     * (the exec stays open for the run's length); exceptionally when the exec ended or broke
     * before, and then only the kubelet tells the end.
     */
    CompletableFuture<DeliveryOutput.End> ended() {
      return ended;
    }

    /** Open, nothing sent yet, and not ended: a {@link #send} now reaches a waiting command. */
    boolean isWaiting() {
      return opened.isDone()
          && !opened.isCompletedExceptionally()
          && !outcome.isDone()
          && !sent.get();
    }

    /**
     * Sends {@code stdin} whole, as one frame: whether it was sent (false when the exec is not
     * open, has ended, or was given its input already).
     */
    boolean send(byte[] stdin) {
      requireNonNull(stdin, "stdin is null");
      if (!isWaiting() || !sent.compareAndSet(false, true)) {
        return false;
      }
      ByteBuffer frame = ByteBuffer.allocate(stdin.length + 1);
      frame.put(STDIN).put(stdin).flip();
      return opened.join().send(frame);
    }

    /** Ends the exec, if it is open: its command sees its standard input end. */
    void close() {
      opened.thenAccept(socket -> socket.sendClose(1000, "done"));
      fail(new IllegalStateException("closed before it ended"));
    }

    private void fail(Throwable error) {
      opened.completeExceptionally(error);
      outcome.completeExceptionally(error);
      delivered.completeExceptionally(error);
      ended.completeExceptionally(error);
    }

    /**
     * Takes one frame from the exec: a channel's byte, then its data. Whether it was the status,
     * which ends the exec.
     */
    // Frames come one at a time (each is requested after the last), never at once.
    boolean receive(ByteBuffer bytes) {
      if (!bytes.hasRemaining()) {
        return false;
      }
      byte channel = bytes.get();
      byte[] data = new byte[bytes.remaining()];
      bytes.get(data);
      if (channel == STDOUT) {
        stdout.writeBytes(data);
        output.append(data);
        if (output.delivered()) {
          delivered.complete(null);
        }
        output.end().ifPresent(ended::complete);
      } else if (channel == STDERR) {
        stderr.writeBytes(data);
      } else if (channel == STATUS) {
        Outcome done =
            new Outcome(
                exitCode(new String(data, StandardCharsets.UTF_8)),
                stdout.toString(StandardCharsets.UTF_8),
                errors());
        outcome.complete(done);
        IllegalStateException early =
            new IllegalStateException(
                "the exec ended with %d: %s".formatted(done.exitCode(), done.stderr()));
        delivered.completeExceptionally(early);
        ended.completeExceptionally(early);
        return true;
      }
      return false;
    }

    private String errors() {
      return stderr.toString(StandardCharsets.UTF_8).strip();
    }

    private WebSocket.Listener listener() {
      return new WebSocket.Listener() {
        @Override
        public void onOpen(WebSocket socket) {
          socket.request();
          opened.complete(socket);
        }

        @Override
        public void onMessage(WebSocket socket, ByteBuffer bytes) {
          if (receive(bytes)) {
            socket.sendClose(1000, "done");
          }
          socket.request();
        }

        @Override
        public void onClose(WebSocket socket, int code, String reason) {
          fail(
              new IllegalStateException(
                  "the exec closed (%d %s) before it said how it ended: %s"
                      .formatted(code, reason, errors())));
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
          fail(error);
        }
      };
    }
  }

  /** The exit code a status says: 0 for {@code Success}, the code of {@code NonZeroExitCode}. */
  static int exitCode(String status) {
    if (status.contains("\"Success\"")) {
      return 0;
    }
    Matcher code = EXIT_CODE.matcher(status);
    return code.find() ? Integer.parseInt(code.group(1)) : -1;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
