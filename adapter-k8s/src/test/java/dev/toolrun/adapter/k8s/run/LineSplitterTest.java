package dev.toolrun.adapter.k8s.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {
  private final List<String> lines = new ArrayList<>();
  private final LineSplitter splitter = new LineSplitter(lines::add);

  private static ByteBuffer heap(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
  }

  private static ByteBuffer direct(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length);
    buffer.put(bytes).flip();
    return buffer;
  }

  @Test
  void linesThatSpanBuffersAreWholeAndTheLastUnendedOneComesAtTheClose() {
    splitter.write(heap("first li"));
    splitter.write(direct("ne\nsecond\n\nthi"));
    assertThat(lines).containsExactly("first line", "second", "");

    splitter.write(heap("rd: é"));
    splitter.close();
    assertThat(lines).containsExactly("first line", "second", "", "third: é");
  }

  @Test
  void aSliceOfABufferIsReadFromItsPosition() {
    ByteBuffer buffer = heap("skip|kept\n");
    buffer.position(5);

    splitter.write(buffer);

    assertThat(lines).containsExactly("kept");
  }

  @Test
  void nothingIsToldOfAnEmptyStream() {
    splitter.close();

    assertThat(lines).isEmpty();
  }
}
