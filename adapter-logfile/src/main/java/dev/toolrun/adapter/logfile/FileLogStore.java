package dev.toolrun.adapter.logfile;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.ports.out.LogLines;
import dev.toolrun.ports.out.LogMark;
import dev.toolrun.ports.out.LogPage;
import dev.toolrun.ports.out.LogStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LogStore} that keeps each instance's whole log, up to a bound in bytes, in a file of its
 * own under one directory, so that logs outlive a restart of toolrun (a {@code kill -9} too: every
 * append is written to the file before it returns). A log is packed (gzip) when it ends, and its
 * files go when it is deleted. See {@link LogFile} for the layout.
 *
 * <p>A write that fails (a full disk) does not fail the writer: the log records a gap that says so,
 * and the failure is logged.
 */
public final class FileLogStore implements LogStore, AutoCloseable {
  private static final Logger LOG = System.getLogger(FileLogStore.class.getName());

  private final Path directory;
  private final long maxBytes;
  private final long maxLines;
  private final int maxLineLength;
  private final long fsyncIntervalNanos;
  private final Map<InstanceId, LogFile> open = new ConcurrentHashMap<>();
  // Packs ended logs off the caller's thread (the runtime's event thread ends runs): packing reads
  // the whole log. One thread, so packing never takes more than one core.
  private final ExecutorService packer =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "toolrun-log-packer");
            t.setDaemon(true);
            return t;
          });

  /** A store as {@code config} says; creates the directory if it is missing. */
  public FileLogStore(FileLogStoreConfig config) {
    this(config, Long.MAX_VALUE);
  }

  /** A store that also keeps at most {@code maxLines} lines per log (for the contract test). */
  FileLogStore(FileLogStoreConfig config, long maxLines) {
    requireNonNull(config, "config is null");
    this.directory = config.directory();
    this.maxBytes = config.maxBytesPerInstance();
    this.maxLines = maxLines;
    this.maxLineLength = config.maxLineLength();
    this.fsyncIntervalNanos = config.fsyncInterval().toNanos();
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the log directory " + directory, e);
    }
  }

  @Override
  public void append(InstanceId id, List<String> lines) {
    write(id, lines, null);
  }

  @Override
  public void append(InstanceId id, List<String> lines, String mark) {
    write(id, lines, requireNonNull(mark, "mark is null"));
  }

  private void write(InstanceId id, List<String> lines, String mark) {
    List<String> fitted = LogLines.fitted(lines, maxLineLength);
    LogFile log = log(id);
    try {
      log.append(fitted, mark);
      log.syncIfDue(fsyncIntervalNanos);
    } catch (IOException e) {
      failed(id, log, "write", e);
    }
  }

  private void failed(InstanceId id, LogFile log, String what, IOException e) {
    LOG.log(Level.ERROR, "could not " + what + " the log of instance " + id, e);
    try {
      log.reportGap("toolrun could not write the log to disk: " + e.getMessage());
    } catch (IOException again) {
      // The gap cannot be written either; the log file says nothing more until the disk recovers.
      LOG.log(Level.ERROR, "could not record the gap in the log of instance " + id, again);
    }
  }

  @Override
  public LogPage read(InstanceId id, long fromLine, int limit) {
    requireNonNull(id, "id is null");
    LogLines.checkRead(fromLine, limit);
    try {
      return log(id).read(fromLine, limit);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the log of instance " + id, e);
    }
  }

  @Override
  public LogPage tail(InstanceId id, int lines) {
    requireNonNull(id, "id is null");
    if (lines < 1) {
      throw new IllegalArgumentException("lines must be positive, was " + lines);
    }
    try {
      return log(id).tail(lines);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the log of instance " + id, e);
    }
  }

  @Override
  public void complete(InstanceId id) {
    requireNonNull(id, "id is null");
    LogFile log = log(id);
    try {
      log.complete();
      packLater(id, log);
    } catch (IOException e) {
      failed(id, log, "end", e);
    }
  }

  private void packLater(InstanceId id, LogFile log) {
    try {
      packer.execute(
          () -> {
            try {
              log.pack();
            } catch (IOException e) {
              // The log stays whole in its live file; the next open packs it again.
              LOG.log(Level.WARNING, "could not pack the log of instance " + id, e);
            }
          });
    } catch (RejectedExecutionException closing) {
      // Packed at the next open.
    }
  }

  /** Waits until every log ended so far is packed (for tests and benchmarks). */
  void awaitPacking() throws InterruptedException, ExecutionException {
    packer.submit(() -> {}).get();
  }

  @Override
  public Optional<LogMark> mark(InstanceId id) {
    requireNonNull(id, "id is null");
    return log(id).mark();
  }

  @Override
  public void reportGap(InstanceId id, String reason) {
    requireNonNull(id, "id is null");
    requireNonNull(reason, "reason is null");
    LogFile log = log(id);
    try {
      log.reportGap(reason);
    } catch (IOException e) {
      failed(id, log, "record a gap in", e);
    }
  }

  @Override
  public void delete(InstanceId id) {
    requireNonNull(id, "id is null");
    LogFile log = open.remove(id);
    try {
      (log != null ? log : openLog(id)).delete();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the log of instance " + id, e);
    }
  }

  /** Syncs and closes every open log file; logs not packed yet are packed at the next open. */
  @Override
  public void close() {
    // Logs still waiting are packed at the next open; the one being packed is stopped, and waited
    // for, so that no file of the store is written once close returns.
    packer.shutdownNow();
    try {
      if (!packer.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.log(Level.WARNING, "a log was still being packed 10 s after the store was closed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (LogFile log : open.values()) {
      try {
        log.close();
      } catch (IOException e) {
        LOG.log(Level.WARNING, "could not close a log file: " + e.getMessage());
      }
    }
    open.clear();
  }

  private LogFile log(InstanceId id) {
    return open.computeIfAbsent(id, this::openLog);
  }

  private LogFile openLog(InstanceId id) {
    try {
      LogFile log = LogFile.open(directory, id.value(), maxBytes, maxLines);
      if (log.awaitsPacking()) {
        packLater(id, log);
      }
      return log;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the log of instance " + id, e);
    }
  }
}
