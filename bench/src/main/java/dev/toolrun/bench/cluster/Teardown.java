package dev.toolrun.bench.cluster;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the benchmark started or created (toolrun processes, namespaces, watches), closed in reverse
 * order exactly once: at the end of the run, or from the shutdown hook when {@code bench/cluster}'s
 * trap stops the driver early.
 */
final class Teardown implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Teardown.class);

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private boolean closed;

  /** Remembers {@code resource} for closing; closes it at once when teardown has begun. */
  synchronized <T extends AutoCloseable> T add(T resource) {
    if (closed) {
      closeQuietly(resource);
      throw new IllegalStateException("the benchmark is shutting down");
    }
    resources.push(resource);
    return resource;
  }

  /** Closes {@code resource} now, if it is one of ours, rather than at the end. */
  synchronized void closeEarly(AutoCloseable resource) {
    if (resources.remove(resource)) {
      closeQuietly(resource);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    while (!resources.isEmpty()) {
      closeQuietly(resources.pop());
    }
  }

  private static void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      // One failed close must not keep the rest (namespaces, processes) alive.
      LOG.warn("could not close {}: {}", resource, e.toString());
    }
  }
}
