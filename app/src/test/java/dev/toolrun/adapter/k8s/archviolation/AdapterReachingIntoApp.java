package dev.toolrun.adapter.k8s.archviolation;

/** Breaks the rules on purpose: an adapter that reaches into the app. */
public class AdapterReachingIntoApp {
  public Object config() {
    return dev.toolrun.app.config.RuntimeMode.KUBERNETES;
  }
}
