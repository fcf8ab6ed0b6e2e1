package dev.toolrun.domain.archviolation.util;

/** Breaks the rules on purpose: a class in a catch-all package. */
public final class UtilityBucket {
  private UtilityBucket() {}
}
