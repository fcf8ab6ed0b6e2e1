package dev.toolrun.adapter.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One TCP connection to the API that writes exactly the bytes it is given and reads answers one at
 * a time, for what an HTTP client library will not send: ambiguous framing, broken encodings, a
 * request that trickles in.
 */
final class RawConnection implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawConnection(int port) {
    this(port, "127.0.0.1");
  }

  /** A connection from {@code source}, a loopback address such as 127.0.0.2. */
  RawConnection(int port, String source) {
    try {
      socket = new Socket("127.0.0.1", port, java.net.InetAddress.getByName(source), 0);
      socket.setSoTimeout(10_000);
      in = socket.getInputStream();
      out = socket.getOutputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code text}, each character one byte (so {@code "\u00c0"} is the byte C0). */
  RawConnection send(String text) {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  RawConnection send(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code text} and says whether the server still took it (a closed peer refuses). */
  boolean trySend(String text) {
    try {
      out.write(text.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Reads one answer: status line, headers and a body of its Content-Length. */
  Answer read() {
    return read(true);
  }

  /** Reads the answer to a HEAD: status line and headers, and no body whatever they say. */
  Answer readHead() {
    return read(false);
  }

  private Answer read(boolean withBody) {
    try {
      String statusLine = line();
      if (statusLine == null) {
        throw new IllegalStateException("the server closed the connection without an answer");
      }
      Map<String, String> headers = new LinkedHashMap<>();
      for (String header = line(); header != null && !header.isEmpty(); header = line()) {
        int colon = header.indexOf(':');
        headers.put(
            header.substring(0, colon).strip().toLowerCase(Locale.ROOT),
            header.substring(colon + 1).strip());
      }
      int length = withBody ? Integer.parseInt(headers.getOrDefault("content-length", "0")) : 0;
      byte[] body = in.readNBytes(length);
      return new Answer(
          Integer.parseInt(statusLine.split(" ")[1]),
          headers,
          new String(body, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Whether the server closed the connection within {@code within}, discarding whatever else it
   * sends meanwhile.
   */
  boolean closedWithin(Duration within) {
    try {
      socket.setSoTimeout((int) within.toMillis());
      while (in.read() != -1) {
        // What follows the answer, if anything, is not of interest.
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      // A reset: closed as well.
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c == -1) {
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
      }
      if (c != '\r') {
        line.write(c);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One answer, its header names in lower case. */
  record Answer(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    io.vertx.core.json.JsonObject json() {
      return new io.vertx.core.json.JsonObject(body);
    }
  }
}
