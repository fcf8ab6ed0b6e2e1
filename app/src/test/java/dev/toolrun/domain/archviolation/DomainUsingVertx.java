package dev.toolrun.domain.archviolation;

/** Breaks the rules on purpose: a domain class that uses Vert.x and standard output. */
public final class DomainUsingVertx {
  public Object vertx() {
    System.out.println("domain code should not print");
    return io.vertx.core.Vertx.vertx();
  }
}
