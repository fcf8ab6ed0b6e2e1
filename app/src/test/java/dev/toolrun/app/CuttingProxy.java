package dev.toolrun.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of the server that cuts the first event stream it carries right after the
 * first event with id {@code cutAfterId}, as a dropped connection would; everything else passes.
 * (The command line's tests have the same proxy: test classes are not shared between modules.)
 */
final class CuttingProxy implements AutoCloseable {
  private final ServerSocket server;
  private final URI upstream;
  private final String cutAfter;
  private final AtomicInteger cuts = new AtomicInteger();
  private final AtomicInteger streams = new AtomicInteger();

  CuttingProxy(String upstreamUrl, long cutAfterId) throws IOException {
    this.upstream = URI.create(upstreamUrl);
    this.cutAfter = "id: " + cutAfterId + "\n";
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress("127.0.0.1", 0));
    Thread accept = new Thread(this::accept, "cutting-proxy");
    accept.setDaemon(true);
    accept.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** Event streams cut so far. */
  int cuts() {
    return cuts.get();
  }

  /** Event streams opened through the proxy. */
  int streams() {
    return streams.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket target = new Socket(upstream.getHost(), upstream.getPort());
        boolean[] isStream = new boolean[1];
        Object seen = new Object();
        pump(
            "up",
            () -> {
              byte[] buffer = new byte[8192];
              InputStream in = client.getInputStream();
              OutputStream out = target.getOutputStream();
              for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                if (new String(buffer, 0, n, StandardCharsets.ISO_8859_1)
                    .contains("text/event-stream")) {
                  synchronized (seen) {
                    isStream[0] = true;
                  }
                  streams.incrementAndGet();
                }
                out.write(buffer, 0, n);
                out.flush();
              }
            });
        pump(
            "down",
            () -> {
              byte[] buffer = new byte[8192];
              InputStream in = target.getInputStream();
              OutputStream out = client.getOutputStream();
              StringBuilder sent = new StringBuilder();
              for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                boolean cutting;
                synchronized (seen) {
                  cutting = isStream[0] && cuts.get() == 0;
                }
                if (cutting) {
                  sent.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                  int at = sent.indexOf(cutAfter);
                  int end = at < 0 ? -1 : sent.indexOf("\n\n", at);
                  if (end >= 0) {
                    int keep = n - (sent.length() - (end + 2));
                    out.write(buffer, 0, keep);
                    out.flush();
                    cuts.incrementAndGet();
                    client.close();
                    target.close();
                    return;
                  }
                }
                out.write(buffer, 0, n);
                out.flush();
              }
              client.close();
            });
      } catch (IOException e) {
        return;
      }
    }
  }

  private interface Io {
    void run() throws IOException;
  }

  private static void pump(String name, Io io) {
    Thread thread =
        new Thread(
            () -> {
              try {
                io.run();
              } catch (IOException e) {
                // The other side closed: so does this one.
              }
            },
            "cutting-proxy-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
