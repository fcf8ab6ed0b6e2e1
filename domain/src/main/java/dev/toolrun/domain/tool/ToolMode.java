package dev.toolrun.domain.tool;

/** How a tool's instances behave once started. */
public enum ToolMode {
  /** Runs to completion with its parameters and produces a result. */
  TASK,
  /** Long-running program that serves requests until it is stopped. */
  SERVICE
}
