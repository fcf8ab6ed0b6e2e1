package dev.toolrun.adapter.k8s.run;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Splits a byte stream of UTF-8 text into lines, without their line ends. */
final class LineSplitter extends OutputStream {
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final Consumer<String> lines;

  /**
   * @param lines told of each line as soon as its end has arrived, and of a last unended one
   */
  LineSplitter(Consumer<String> lines) {
    this.lines = requireNonNull(lines, "lines is null");
  }

  @Override
  public void write(int b) {
    if (b == '\n') {
      emit();
    } else {
      line.write(b);
    }
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    int start = offset;
    for (int i = offset; i < offset + length; i++) {
      if (bytes[i] == '\n') {
        line.write(bytes, start, i - start);
        emit();
        start = i + 1;
      }
    }
    line.write(bytes, start, offset + length - start);
  }

  void write(ByteBuffer buffer) {
    if (buffer.hasArray()) {
      write(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
    } else {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      write(bytes, 0, bytes.length);
    }
  }

  /** Tells of the last line even if it has no line end. */
  @Override
  public void close() {
    if (line.size() > 0) {
      emit();
    }
  }

  private void emit() {
    String raw = line.toString(StandardCharsets.UTF_8);
    line.reset();
    lines.accept(raw);
  }
}
