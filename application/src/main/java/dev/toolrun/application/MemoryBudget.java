package dev.toolrun.application;

/**
 * How many bytes of heap the instance records held in memory may take, as {@link
 * dev.toolrun.domain.instance.Instance#retainedBytes()} counts them. Past it, launches are refused
 * (nothing is recorded) until runs end and retention removes ended records; retention removes the
 * oldest ended records beyond {@link #LOW_WATER_PERCENT}% of it, as it does beyond its count.
 */
public record MemoryBudget(long bytes) {
  /** The share of the maximum heap the default budget takes: the rest is for everything else. */
  public static final int DEFAULT_HEAP_PERCENT = 25;

  /** Retention keeps the records below this share of the budget, so launches find room. */
  public static final int LOW_WATER_PERCENT = 90;

  /** The smallest budget: a few records of the largest launch a body may carry. */
  public static final long MIN_BYTES = 4L * 1024 * 1024;

  public MemoryBudget {
    if (bytes < MIN_BYTES) {
      throw new IllegalArgumentException(
          "a memory budget must be at least %d bytes, not %d".formatted(MIN_BYTES, bytes));
    }
  }

  /** {@value #DEFAULT_HEAP_PERCENT}% of {@code maxHeapBytes}, and at least {@link #MIN_BYTES}. */
  public static MemoryBudget ofHeap(long maxHeapBytes) {
    return new MemoryBudget(Math.max(MIN_BYTES, maxHeapBytes / 100 * DEFAULT_HEAP_PERCENT));
  }

  /** The default: a share of this JVM's maximum heap ({@code -Xmx}). */
  public static MemoryBudget ofThisHeap() {
    return ofHeap(Runtime.getRuntime().maxMemory());
  }

  /** What retention keeps the records within. */
  long lowWaterBytes() {
    return bytes / 100 * LOW_WATER_PERCENT;
  }
}
