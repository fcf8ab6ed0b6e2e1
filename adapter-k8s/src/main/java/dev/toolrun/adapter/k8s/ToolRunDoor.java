package dev.toolrun.adapter.k8s;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.runrequest.RunRequests;

/**
 * The door for runs asked for with kubectl, with the {@code resources} record store: a ToolRun
 * created by hand is launched as {@code POST /v1/instances} would launch it, and {@code kubectl
 * delete} of an active run's ToolRun cancels the run first (docs/architecture.md, "Records"). Made
 * by {@link KubernetesAdapter#toolRunDoor}; it reads nothing until started, and the adapter closes
 * it before its other parts.
 */
public final class ToolRunDoor implements AutoCloseable {
  private final RunRequests requests;

  ToolRunDoor(RunRequests requests) {
    this.requests = requireNonNull(requests, "requests is null");
  }

  /** Starts following the namespace's ToolRuns; acts on them only while this toolrun writes. */
  public void start() {
    requests.start();
  }

  @Override
  public void close() {
    requests.close();
  }
}
