package dev.toolrun.adapter.http;

import java.io.IOException;
import java.io.InputStream;

/** The body of an HTTP/1.1 chunked response read from a raw socket, for the tests. */
final class Dechunked extends InputStream {
  private final InputStream in;
  private long left;
  private boolean done;

  Dechunked(InputStream in) {
    this.in = in;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (done) {
      return -1;
    }
    if (left == 0) {
      String size = line();
      left = Long.parseLong(size.split(";")[0].trim(), 16);
      if (left == 0) {
        done = true;
        return -1;
      }
    }
    int n = in.read(buffer, offset, (int) Math.min(length, left));
    if (n < 0) {
      done = true;
      return -1;
    }
    left -= n;
    if (left == 0) {
      line();
    }
    return n;
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }
}
