package dev.toolrun.application;

/**
 * How many instances of each mode may be active at once; launches beyond a cap wait, in order.
 *
 * @param maxServices active service instances at most (default 100)
 * @param maxTasks active task instances at most (default 100)
 */
public record Capacity(int maxServices, int maxTasks) {
  public static final Capacity DEFAULT = new Capacity(100, 100);

  public Capacity {
    if (maxServices < 1 || maxTasks < 1) {
      throw new IllegalArgumentException("capacity caps must be at least 1");
    }
  }
}
