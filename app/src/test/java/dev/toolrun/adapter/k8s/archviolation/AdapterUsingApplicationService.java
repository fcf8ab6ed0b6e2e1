package dev.toolrun.adapter.k8s.archviolation;

/** Breaks the rules on purpose: an adapter that uses an application service instead of a port. */
public final class AdapterUsingApplicationService {
  public Object capacity() {
    return dev.toolrun.application.Capacity.DEFAULT;
  }
}
