package dev.toolrun.bench.local;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures what instance records cost: the live heap of a running toolrun (in-memory runtime) when
 * idle, and again once it holds a given number of ended instances, launched over its API.
 *
 * <p>Each record is a task run to its end: its history, its result and its log lines (the in-memory
 * runtime writes a few per run), as an operator's toolrun keeps them until retention removes them.
 * toolrun must keep at least that many ended records ({@code retention.max-ended}) and admit as
 * many at once as are launched ({@code capacity.max-tasks}), or the count is wrong or the wait
 * long.
 *
 * <p>Usage: {@code RecordMemoryProbe <base URL> <token> <pid> <records>}. Prints one {@code RESULT
 * memory.records} line.
 */
public final class RecordMemoryProbe {
  private static final long TARGET_HEAP_MIB = 256;
  private static final long MIB = 1024 * 1024;

  /** Enough launches in flight to keep toolrun busy, few enough for its worker pool. */
  private static final int IN_FLIGHT = 16;

  private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(5);
  private static final String TOOL = "memory-probe";
  private static final String TOOL_DEFINITION =
      """
      {"description": "a task whose records are measured",
       "spec": {"mode": "TASK", "timeoutSeconds": 60,
                "script": {"language": "shell", "source": "echo hello\\n"}}}\
      """;

  private final ToolrunApi api;
  private final long pid;
  private final HeapGauge heap = new HeapGauge();

  private RecordMemoryProbe(ToolrunApi api, long pid) {
    this.api = api;
    this.pid = pid;
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 4) {
      throw new IllegalArgumentException(
          "usage: RecordMemoryProbe <base URL> <token> <pid> <records>");
    }
    RecordMemoryProbe probe =
        new RecordMemoryProbe(
            new ToolrunApi(URI.create(args[0]), args[1]), Long.parseLong(args[2]));
    int records = Integer.parseInt(args[3]);

    long idle = probe.heap.usedAfterFullGc(probe.pid);
    probe.api.registerTool(TOOL, TOOL_DEFINITION);
    probe.launch(records);
    probe.awaitAllEnded();
    long full = probe.heap.usedAfterFullGc(probe.pid);

    System.out.println(
        new ResultLine("memory.records")
            .with("records", records)
            .with("heap_mib", (double) full / MIB)
            .with("idle_heap_mib", (double) idle / MIB)
            .with("per_record_bytes", (full - idle) / records)
            .target("heap_mib<=" + TARGET_HEAP_MIB, full <= TARGET_HEAP_MIB * MIB));
  }

  /** Launches {@code count} instances, {@value #IN_FLIGHT} at a time; fails unless each got 201. */
  private void launch(int count) throws InterruptedException {
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    Map<String, AtomicLong> refused = new ConcurrentHashMap<>();
    for (int i = 0; i < count; i++) {
      inFlight.acquire();
      CompletableFuture<Integer> status =
          api.launch("{\"tool\": \"" + TOOL + "\", \"parameters\": {\"n\": " + i + "}}");
      status.whenComplete(
          (code, failure) -> {
            if (failure != null || code != 201) {
              String what = failure != null ? failure.getClass().getSimpleName() : "HTTP " + code;
              refused.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
            }
            inFlight.release();
          });
    }
    inFlight.acquire(IN_FLIGHT);
    if (!refused.isEmpty()) {
      throw new IllegalStateException(
          "launches not accepted with 201, by answer: " + new TreeMap<>(refused));
    }
  }

  private void awaitAllEnded() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
    while (api.anyActive()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("instances still active after " + GIVE_UP_AFTER);
      }
      Thread.sleep(100);
    }
  }
}
