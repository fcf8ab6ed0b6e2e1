package dev.toolrun.application.archviolation;

/** Breaks the rules on purpose: an application service that depends on Guice. */
public final class ServiceUsingGuice {
  public Object injector() {
    return com.google.inject.Guice.createInjector();
  }
}
