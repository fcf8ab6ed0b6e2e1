package dev.toolrun.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Logging of the toolrun service: one line of text per event on standard error (time, level, the
 * logger's class name, the message). With {@code log.format=json}, {@link JsonLogs} replaces this
 * appender with toolrun's JSON lines.
 *
 * <p>Set up in code, found by logback through {@code META-INF/services}, rather than in a {@code
 * logback.xml}: reading the XML loaded some 500 classes (a SAX parser, logback's Joran) and took
 * about a tenth of the time to ready (docs/benchmarks.md, figure 6).
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class TextLogs extends ContextAwareBase implements Configurator {
  static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSZ} %level %logger{0} - %msg%n";

  /** Libraries whose INFO lines say nothing an operator needs, and the level they log at. */
  static final Map<String, Level> QUIETER =
      Map.of(
          "io.vertx", Level.WARN,
          "io.netty", Level.WARN,
          "io.fabric8", Level.WARN,
          "io.modelcontextprotocol", Level.WARN,
          // Vert.x's Micrometer metrics register a gauge (vertx.http.server.active.connections)
          // more than once; Micrometer keeps the first and warns. Not a problem of toolrun's.
          "io.micrometer.core.instrument.MeterRegistry", Level.ERROR);

  /** Logback makes it through the service loader. */
  public TextLogs() {}

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("stderr");
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(appender);
    QUIETER.forEach((name, level) -> context.getLogger(name).setLevel(level));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
