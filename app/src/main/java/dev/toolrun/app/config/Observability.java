package dev.toolrun.app.config;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.metrics.MetricsConfig;

/**
 * How toolrun shows what it does: its metrics, who may read them, and the format of its logs.
 *
 * @param metrics whether toolrun measures itself ({@code metrics.enabled})
 * @param metricsNeedToken whether {@code /metrics} wants the API's bearer token ({@code
 *     metrics.auth=token}); by default it is open, like the health probes, for Prometheus to scrape
 *     without a credential
 * @param logFormat how log lines are written ({@code log.format})
 */
public record Observability(MetricsConfig metrics, boolean metricsNeedToken, LogFormat logFormat) {
  public static final Observability DEFAULT =
      new Observability(MetricsConfig.DEFAULT, false, LogFormat.TEXT);

  public Observability {
    requireNonNull(metrics, "metrics is null");
    requireNonNull(logFormat, "logFormat is null");
  }

  /** How log lines are written. */
  public enum LogFormat {
    /** One line of text per event, for a terminal. */
    TEXT,
    /** One JSON object per line, for a log collector. */
    JSON
  }
}
