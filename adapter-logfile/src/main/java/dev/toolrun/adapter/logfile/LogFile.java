package dev.toolrun.adapter.logfile;

import dev.toolrun.adapter.logfile.Records.Record;
import dev.toolrun.ports.out.LogMark;
import dev.toolrun.ports.out.LogPage;
import dev.toolrun.ports.out.LogPage.LogLine;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * One instance's log on disk. While it grows it is {@code <id>.log}, appended to with one write per
 * append (so a killed process loses nothing the store accepted) and made durable by {@code fsync}
 * on the store's schedule. Once it ends it is packed into {@code <id>.log.gz}, a chain of gzip
 * members of at most {@link #INDEX_EVERY_LINES} lines each, and {@code <id>.idx}, where each member
 * starts: reading from a line opens the member that holds it and never decompresses the ones
 * before.
 *
 * <p>The sparse index (every {@link #INDEX_EVERY_LINES} lines or {@link #INDEX_EVERY_BYTES} bytes,
 * whichever comes first) is the only per-line state kept in memory. The bound drops the oldest
 * lines: they stop being served at once and leave the disk when what is dropped outweighs what is
 * kept (the kept part is copied to a new file), so a log never takes more than about twice its
 * bound.
 */
final class LogFile {
  static final int INDEX_EVERY_LINES = 1024;
  static final long INDEX_EVERY_BYTES = 64 * 1024;

  private final Path live;
  private final Path packed;
  private final Path packedIndex;
  private final long maxBytes;
  private final long maxLines;

  private FileChannel channel;
  private boolean isPacked;
  // Lines ever written, the number of the first one the file holds and the first one still served.
  private long total;
  private long firstInFile;
  private long firstKept;
  // Bytes of the live file, and where its first line's record starts.
  private long end;
  private long[] indexLines = new long[16];
  private long[] indexOffsets = new long[16];
  private int indexSize;
  private long bytesSinceIndex;
  private String mark;
  private long linesAfterMark;
  private Optional<String> missing = Optional.empty();
  private boolean complete;
  private boolean unsynced;
  // Counts deletions, so a packing that a deletion overtook leaves nothing behind.
  private long generation;
  private long lastSync = System.nanoTime();

  private LogFile(Path directory, String name, long maxBytes, long maxLines) {
    this.live = directory.resolve(name + ".log");
    this.packed = directory.resolve(name + ".log.gz");
    this.packedIndex = directory.resolve(name + ".idx");
    this.maxBytes = maxBytes;
    this.maxLines = maxLines;
  }

  /**
   * The log named {@code name} in {@code directory} as the files say, recovered if a crash cut it:
   * a last record without its end is cut off; a log that ended but was not packed yet {@link
   * #awaitsPacking}.
   */
  static LogFile open(Path directory, String name, long maxBytes, long maxLines)
      throws IOException {
    LogFile log = new LogFile(directory, name, maxBytes, maxLines);
    Files.deleteIfExists(log.packed.resolveSibling(log.packed.getFileName() + ".tmp"));
    Files.deleteIfExists(log.packedIndex.resolveSibling(log.packedIndex.getFileName() + ".tmp"));
    Files.deleteIfExists(log.live.resolveSibling(log.live.getFileName() + ".tmp"));
    if (Files.exists(log.packed) && Files.exists(log.packedIndex)) {
      // Packing ends by renaming the packed file into place: whatever live file is left is done.
      Files.deleteIfExists(log.live);
      log.loadPacked();
    } else if (Files.exists(log.live)) {
      Files.deleteIfExists(log.packed);
      log.recoverLive();
    }
    return log;
  }

  boolean exists() {
    return isPacked || channel != null || complete;
  }

  synchronized void append(List<String> lines, String newMark) throws IOException {
    if (complete) {
      return;
    }
    ensureLive();
    ByteArrayOutputStream out = new ByteArrayOutputStream(lines.size() * 96 + 64);
    long at = end;
    for (String line : lines) {
      int before = out.size();
      if (indexSize == 0
          || total % INDEX_EVERY_LINES == 0
          || bytesSinceIndex >= INDEX_EVERY_BYTES) {
        addIndex(total, at + before);
      }
      Records.text(out, line);
      bytesSinceIndex += out.size() - before;
      total++;
    }
    if (newMark != null) {
      Records.meta(out, Records.MARK, newMark);
      mark = newMark;
      linesAfterMark = 0;
    } else {
      linesAfterMark += lines.size();
    }
    write(out);
    applyBound();
  }

  synchronized void reportGap(String reason) throws IOException {
    if (missing.isPresent() || complete) {
      return;
    }
    missing = Optional.of(reason);
    ensureLive();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Records.meta(out, Records.GAP, reason);
    write(out);
  }

  /**
   * Ends the log: writes its end and syncs it, so it is whole on disk when this returns. Packing it
   * is left to {@link #pack}, which the store runs on its own thread: it reads the whole log.
   */
  synchronized void complete() throws IOException {
    if (complete) {
      return;
    }
    ensureLive();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Records.meta(out, Records.END, "");
    write(out);
    complete = true;
    sync();
  }

  /** Whether the log ended but is not packed yet. */
  synchronized boolean awaitsPacking() {
    return complete && !isPacked && channel != null;
  }

  synchronized Optional<LogMark> mark() {
    return mark == null ? Optional.empty() : Optional.of(new LogMark(mark, linesAfterMark));
  }

  /** Makes what was written durable, if anything was since the last time. */
  synchronized void sync() throws IOException {
    if (unsynced && channel != null) {
      channel.force(false);
      unsynced = false;
    }
    lastSync = System.nanoTime();
  }

  /** Syncs if the last sync is {@code intervalNanos} old or older (0: always). */
  synchronized void syncIfDue(long intervalNanos) throws IOException {
    if (System.nanoTime() - lastSync >= intervalNanos) {
      sync();
    }
  }

  synchronized LogPage read(long fromLine, int limit) throws IOException {
    long first = Math.min(Math.max(fromLine, firstKept), total);
    List<LogLine> lines = new ArrayList<>(Math.min(limit, 1024));
    if (first < total) {
      int entry = indexEntryAtOrBefore(first);
      long number = indexLines[entry];
      try (InputStream in = openAt(indexOffsets[entry])) {
        Records.Reader records = new Records.Reader(in);
        Record record;
        while (number < total && lines.size() < limit && (record = records.next()) != null) {
          if (!record.isText()) {
            continue;
          }
          if (number >= first) {
            lines.add(new LogLine(number, record.value()));
          }
          number++;
        }
      }
    }
    return new LogPage(lines, first + lines.size(), firstKept, complete, missing);
  }

  synchronized LogPage tail(int count) throws IOException {
    return read(Math.max(firstKept, total - count), count);
  }

  /** Closes the file and removes every file of the log. */
  synchronized void delete() throws IOException {
    generation++;
    closeChannel();
    Files.deleteIfExists(live);
    Files.deleteIfExists(packed);
    Files.deleteIfExists(packedIndex);
    isPacked = false;
    complete = false;
    total = firstInFile = firstKept = end = 0;
    indexSize = 0;
    mark = null;
    missing = Optional.empty();
  }

  synchronized void close() throws IOException {
    sync();
    closeChannel();
  }

  private void closeChannel() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }

  private void ensureLive() throws IOException {
    if (channel == null) {
      channel =
          FileChannel.open(
              live, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
      if (end == 0) {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        Records.meta(header, Records.FIRST_LINE, Long.toString(total));
        write(header);
      }
    }
  }

  private void write(ByteArrayOutputStream out) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(out.toByteArray());
    while (bytes.hasRemaining()) {
      end += channel.write(bytes, end);
    }
    unsynced = true;
  }

  private void addIndex(long line, long offset) {
    if (indexSize == indexLines.length) {
      indexLines = Arrays.copyOf(indexLines, indexSize * 2);
      indexOffsets = Arrays.copyOf(indexOffsets, indexSize * 2);
    }
    indexLines[indexSize] = line;
    indexOffsets[indexSize] = offset;
    indexSize++;
    bytesSinceIndex = 0;
  }

  private int indexEntryAtOrBefore(long line) {
    int found = Arrays.binarySearch(indexLines, 0, indexSize, line);
    return found >= 0 ? found : Math.max(0, -found - 2);
  }

  private InputStream openAt(long offset) throws IOException {
    FileChannel reading = FileChannel.open(isPacked ? packed : live, StandardOpenOption.READ);
    InputStream raw = new BufferedInputStream(Channels.newInputStream(reading.position(offset)));
    return isPacked ? new GZIPInputStream(raw, 8192) : raw;
  }

  /**
   * Drops the oldest lines past the bound (at an index entry for the byte bound, so no line's
   * offset need be looked for), and copies the kept part to a new file once the dropped part is
   * larger than the bound.
   */
  private void applyBound() throws IOException {
    firstKept = Math.max(firstKept, total - maxLines);
    int entry = indexEntryAtOrBefore(firstKept);
    if (end - indexOffsets[entry] > maxBytes) {
      while (entry + 1 < indexSize && end - indexOffsets[entry] > maxBytes) {
        entry++;
      }
      firstKept = Math.max(firstKept, indexLines[entry]);
    }
    if (indexOffsets[indexEntryAtOrBefore(firstKept)] > Math.max(maxBytes, INDEX_EVERY_BYTES)) {
      compact();
    }
  }

  private void compact() throws IOException {
    Path copy = live.resolveSibling(live.getFileName() + ".tmp");
    LogFile rewritten = new LogFile(live.getParent(), "unused", maxBytes, maxLines);
    try (FileChannel out =
        FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      rewritten.channel = out;
      rewritten.total = firstKept;
      rewritten.firstInFile = firstKept;
      ByteArrayOutputStream header = new ByteArrayOutputStream();
      Records.meta(header, Records.FIRST_LINE, Long.toString(firstKept));
      missing.ifPresent(reason -> Records.meta(header, Records.GAP, reason));
      long markAfter = mark == null ? -1 : total - linesAfterMark;
      if (mark != null && markAfter <= firstKept) {
        // Every line the mark covers is dropped: it goes before the first kept line.
        Records.meta(header, Records.MARK, mark);
        markAfter = -1;
      }
      rewritten.write(header);
      long cut = markAfter;
      copyLines((batch, upTo) -> rewritten.appendRaw(batch, upTo == cut ? mark : null), cut);
      out.force(false);
      rewritten.channel = null;
    }
    Files.move(copy, live, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    closeChannel();
    channel = FileChannel.open(live, StandardOpenOption.WRITE, StandardOpenOption.READ);
    firstInFile = firstKept;
    end = rewritten.end;
    indexLines = rewritten.indexLines;
    indexOffsets = rewritten.indexOffsets;
    indexSize = rewritten.indexSize;
    bytesSinceIndex = rewritten.bytesSinceIndex;
    unsynced = false;
  }

  /** Receives the kept lines in batches, each with the number of the line after it. */
  private interface Batches {
    void accept(List<String> batch, long upTo) throws IOException;
  }

  /** Reads the kept lines in order, in batches that end at an index step or at {@code cut}. */
  private void copyLines(Batches batches, long cut) throws IOException {
    long number = firstKept;
    List<String> batch = new ArrayList<>(INDEX_EVERY_LINES);
    while (number < total) {
      LogPage page = read(number, INDEX_EVERY_LINES);
      for (LogLine line : page.lines()) {
        batch.add(line.text());
        number = line.number() + 1;
        if (number == cut || batch.size() == INDEX_EVERY_LINES) {
          batches.accept(batch, number);
          batch = new ArrayList<>(INDEX_EVERY_LINES);
        }
      }
      if (page.lines().isEmpty()) {
        break;
      }
    }
    if (!batch.isEmpty()) {
      batches.accept(batch, number);
    }
  }

  private void appendRaw(List<String> lines, String newMark) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(lines.size() * 96 + 64);
    for (String line : lines) {
      int before = out.size();
      if (indexSize == 0
          || total % INDEX_EVERY_LINES == 0
          || bytesSinceIndex >= INDEX_EVERY_BYTES) {
        addIndex(total, end + before);
      }
      Records.text(out, line);
      bytesSinceIndex += out.size() - before;
      total++;
    }
    if (newMark != null) {
      Records.meta(out, Records.MARK, newMark);
    }
    write(out);
  }

  /**
   * Packs the ended log: the kept lines into gzip members, then the index, each written to a
   * temporary file, synced and renamed into place; the live file goes last. A crash at any point
   * leaves either the live file (packed again at the next open) or the packed pair.
   */
  void pack() throws IOException {
    long generation;
    synchronized (this) {
      if (!awaitsPacking()) {
        return;
      }
      generation = this.generation;
    }
    Path packedCopy = packed.resolveSibling(packed.getFileName() + ".tmp");
    Path indexCopy = packedIndex.resolveSibling(packedIndex.getFileName() + ".tmp");
    List<long[]> members = new ArrayList<>();
    try (FileChannel out =
        FileChannel.open(
            packedCopy,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      OutputStream raw = Channels.newOutputStream(out);
      ByteArrayOutputStream header = new ByteArrayOutputStream();
      Records.meta(header, Records.FIRST_LINE, Long.toString(firstKept));
      missing.ifPresent(reason -> Records.meta(header, Records.GAP, reason));
      writeMember(raw, header);
      copyLines(
          (batch, upTo) -> {
            if (batch.isEmpty()) {
              return;
            }
            members.add(new long[] {upTo - batch.size(), out.position()});
            ByteArrayOutputStream member = new ByteArrayOutputStream(batch.size() * 96);
            batch.forEach(line -> Records.text(member, line));
            writeMember(raw, member);
          },
          -1);
      ByteArrayOutputStream ending = new ByteArrayOutputStream();
      Records.meta(ending, Records.END, "");
      writeMember(raw, ending);
      out.force(false);
    }
    StringBuilder index = new StringBuilder();
    index.append(firstKept).append(' ').append(total).append('\n');
    for (long[] member : members) {
      index.append(member[0]).append(' ').append(member[1]).append('\n');
    }
    try (FileChannel out =
        FileChannel.open(
            indexCopy,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      out.write(ByteBuffer.wrap(index.toString().getBytes(StandardCharsets.UTF_8)));
      out.force(false);
    }
    synchronized (this) {
      if (generation != this.generation) {
        // Deleted while it was being packed.
        Files.deleteIfExists(indexCopy);
        Files.deleteIfExists(packedCopy);
        return;
      }
      Files.move(indexCopy, packedIndex, StandardCopyOption.ATOMIC_MOVE);
      Files.move(packedCopy, packed, StandardCopyOption.ATOMIC_MOVE);
      closeChannel();
      Files.deleteIfExists(live);
      useIndex(members);
      isPacked = true;
      unsynced = false;
    }
  }

  private static void writeMember(OutputStream raw, ByteArrayOutputStream content)
      throws IOException {
    // Each member is a whole gzip stream: finish() ends it without closing the file.
    GZIPOutputStream gzip =
        new GZIPOutputStream(nonClosing(raw), 8192) {
          {
            // A log is packed once and read a few times: speed over the last percent of size.
            def.setLevel(Deflater.BEST_SPEED);
          }
        };
    content.writeTo(gzip);
    gzip.finish();
    raw.flush();
  }

  private static OutputStream nonClosing(OutputStream raw) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        raw.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        raw.write(b, off, len);
      }
    };
  }

  private void useIndex(List<long[]> members) {
    indexSize = 0;
    if (members.isEmpty()) {
      // No line to read: one entry keeps lookups simple and is never read past.
      addIndex(firstKept, 0);
    }
    for (long[] member : members) {
      addIndex(member[0], member[1]);
    }
    firstInFile = firstKept;
  }

  private void loadPacked() throws IOException {
    List<String> rows = Files.readAllLines(packedIndex, StandardCharsets.UTF_8);
    String[] head = rows.get(0).split(" ");
    firstKept = Long.parseLong(head[0]);
    total = Long.parseLong(head[1]);
    List<long[]> members = new ArrayList<>();
    for (String row : rows.subList(1, rows.size())) {
      String[] cells = row.split(" ");
      members.add(new long[] {Long.parseLong(cells[0]), Long.parseLong(cells[1])});
    }
    useIndex(members);
    // The gap, if any, is in the first member: reading it costs one small decompression.
    try (InputStream in = new GZIPInputStream(Files.newInputStream(packed))) {
      Records.Reader records = new Records.Reader(in);
      Record record;
      while ((record = records.next()) != null && !record.isText()) {
        if (record.kind() == Records.GAP) {
          missing = Optional.of(record.value());
        }
        if (record.kind() == Records.END) {
          break;
        }
      }
    }
    isPacked = true;
    complete = true;
  }

  /** Reads the live file once, whole: its lines, marks, gap and end, and cuts a torn last write. */
  private void recoverLive() throws IOException {
    long wholeBytes;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(live), 65536)) {
      Records.Reader records = new Records.Reader(in);
      Record record;
      long offset = 0;
      while ((record = records.next()) != null) {
        switch (record.kind()) {
          case 0 -> {
            if (indexSize == 0
                || total % INDEX_EVERY_LINES == 0
                || bytesSinceIndex >= INDEX_EVERY_BYTES) {
              addIndex(total, offset);
            }
            bytesSinceIndex += records.bytesRead() - offset;
            total++;
            linesAfterMark++;
          }
          case Records.FIRST_LINE -> {
            total = Long.parseLong(record.value());
            firstInFile = total;
            firstKept = total;
          }
          case Records.MARK -> {
            mark = record.value();
            linesAfterMark = 0;
          }
          case Records.GAP -> {
            if (missing.isEmpty()) {
              missing = Optional.of(record.value());
            }
          }
          case Records.END -> complete = true;
          default -> {
            // A record of a later version: skipped, so an older toolrun still reads the lines.
          }
        }
        offset = records.bytesRead();
      }
      wholeBytes = records.bytesRead();
    }
    channel = FileChannel.open(live, StandardOpenOption.WRITE, StandardOpenOption.READ);
    if (channel.size() > wholeBytes) {
      channel.truncate(wholeBytes);
      channel.force(false);
    }
    end = wholeBytes;
    if (end == 0) {
      // Not even the header survived: start the file again.
      closeChannel();
      Files.delete(live);
      return;
    }
    applyBound();
  }
}
