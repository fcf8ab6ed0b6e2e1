package dev.toolrun.adapter.http.archviolation;

import dev.toolrun.adapter.k8s.archviolation.AdapterReachingIntoApp;

/** Breaks the rules on purpose: one adapter (http) that uses another (k8s). */
public final class HttpAdapterReachingIntoK8s {
  public Object other() {
    return new AdapterReachingIntoApp();
  }
}
