package dev.toolrun.app.archviolation;

import dev.toolrun.adapter.k8s.archviolation.AdapterReachingIntoApp;

/**
 * Breaks the rules on purpose: the app using a class of an adapter's sub-package (k8s's {@code
 * archviolation}) instead of the adapter's root package.
 */
public final class AppReachingIntoAnAdaptersInside {
  public Object inside() {
    return new AdapterReachingIntoApp();
  }
}
