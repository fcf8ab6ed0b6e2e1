package dev.toolrun.adapter.k8s.job;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A POSIX ustar archive of a few small regular files, written in memory: the one form in which a
 * claim hands a pool pod its files in a single exec, which {@code tar} in any image unpacks.
 */
final class TarStream {
  private static final int BLOCK = 512;

  private TarStream() {}

  /** The archive of {@code files}, each a relative path and its bytes, with {@code mode}. */
  static byte[] of(Map<String, byte[]> files, int mode) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    files.forEach(
        (path, content) -> {
          out.writeBytes(header(path, content.length, mode));
          out.writeBytes(content);
          out.writeBytes(new byte[padding(content.length)]);
        });
    // The end of the archive: two empty blocks.
    out.writeBytes(new byte[2 * BLOCK]);
    return out.toByteArray();
  }

  private static int padding(int length) {
    return (BLOCK - length % BLOCK) % BLOCK;
  }

  private static byte[] header(String path, int size, int mode) {
    byte[] name = path.getBytes(StandardCharsets.UTF_8);
    if (name.length > 100) {
      throw new IllegalArgumentException("a path of at most 100 bytes, not " + path);
    }
    byte[] header = new byte[BLOCK];
    System.arraycopy(name, 0, header, 0, name.length);
    octal(header, 100, 8, mode);
    octal(header, 108, 8, 0);
    octal(header, 116, 8, 0);
    octal(header, 124, 12, size);
    octal(header, 136, 12, 0);
    header[156] = '0';
    put(header, 257, "ustar\0");
    put(header, 263, "00");
    // The checksum is computed with its own field as spaces.
    for (int i = 148; i < 156; i++) {
      header[i] = ' ';
    }
    long sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    put(header, 148, String.format("%06o", sum) + "\0 ");
    return header;
  }

  private static void octal(byte[] header, int offset, int width, long value) {
    put(header, offset, String.format("%0" + (width - 1) + "o", value) + "\0");
  }

  private static void put(byte[] header, int offset, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, header, offset, bytes.length);
  }
}
