package dev.toolrun.app.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches the process's logs to one JSON object per line ({@code log.format=json}), on standard
 * error as the text logs are: the root logger's appenders ({@link TextLogs}') are replaced by one
 * that writes with {@link JsonLineEncoder}. Levels stay as {@link TextLogs} sets them.
 */
public final class JsonLogs {
  private JsonLogs() {}

  /**
   * Installs the JSON appender; call once, early, before the lines that matter.
   *
   * @throws IllegalStateException when slf4j is not bound to logback (the app's binding)
   */
  public static void install() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      throw new IllegalStateException(
          "log.format=json needs logback, but slf4j is bound to "
              + LoggerFactory.getILoggerFactory().getClass().getName());
    }
    JsonLineEncoder encoder = new JsonLineEncoder();
    encoder.setContext(context);
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("json");
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
  }
}
