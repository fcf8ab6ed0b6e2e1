package dev.toolrun.app.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.encoder.EncoderBase;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.tool.ToolName;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One JSON object per line: {@code time}, {@code level}, {@code logger}, {@code thread}, {@code
 * message}, and where known {@code instanceId} and {@code tool}, then {@code error} (the stack
 * trace) when there is one.
 *
 * <p>The instance and the tool are found where the code that logs put them, without asking it to
 * change: an argument of the event that is an {@link InstanceId}, an {@link Instance} or a {@link
 * ToolName} (the core logs through {@code System.Logger} with such arguments), the MDC keys {@code
 * instanceId} and {@code tool}, and last an instance id written in the message, which every message
 * about an instance holds.
 *
 * <p>Written by hand rather than with a JSON library: seven string fields, escaped as RFC 8259
 * says, and no dependency to keep in step with the app's Jackson.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
  /** toolrun's instance ids: UUIDs in their canonical, lower-case form. */
  private static final Pattern INSTANCE_ID =
      Pattern.compile("\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b");

  @Override
  public byte[] headerBytes() {
    return new byte[0];
  }

  @Override
  public byte[] footerBytes() {
    return new byte[0];
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return line(event).getBytes(StandardCharsets.UTF_8);
  }

  static String line(ILoggingEvent event) {
    String message = event.getFormattedMessage();
    StringBuilder json = new StringBuilder(256).append('{');
    field(json, "time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
    field(json, "level", event.getLevel().toString());
    field(json, "logger", event.getLoggerName());
    field(json, "thread", event.getThreadName());
    field(json, "message", message == null ? "" : message);
    instanceId(event, message).ifPresent(id -> field(json, "instanceId", id));
    tool(event).ifPresent(tool -> field(json, "tool", tool));
    if (event.getThrowableProxy() != null) {
      field(json, "error", stackTrace(event.getThrowableProxy()));
    }
    json.setLength(json.length() - 1);
    return json.append("}\n").toString();
  }

  private static Optional<String> instanceId(ILoggingEvent event, String message) {
    for (Object argument : arguments(event)) {
      if (argument instanceof InstanceId id) {
        return Optional.of(id.toString());
      }
      if (argument instanceof Instance instance) {
        return Optional.of(instance.id().toString());
      }
    }
    Optional<String> fromMdc = mdc(event, "instanceId");
    if (fromMdc.isPresent() || message == null) {
      return fromMdc;
    }
    Matcher found = INSTANCE_ID.matcher(message);
    return found.find() ? Optional.of(found.group()) : Optional.empty();
  }

  private static Optional<String> tool(ILoggingEvent event) {
    for (Object argument : arguments(event)) {
      if (argument instanceof ToolName tool) {
        return Optional.of(tool.value());
      }
      if (argument instanceof Instance instance) {
        return Optional.of(instance.toolName().value());
      }
    }
    return mdc(event, "tool");
  }

  private static Object[] arguments(ILoggingEvent event) {
    Object[] arguments = event.getArgumentArray();
    return arguments == null ? new Object[0] : arguments;
  }

  private static Optional<String> mdc(ILoggingEvent event, String key) {
    Map<String, String> mdc = event.getMDCPropertyMap();
    return mdc == null ? Optional.empty() : Optional.ofNullable(mdc.get(key));
  }

  private static String stackTrace(IThrowableProxy error) {
    StringBuilder trace = new StringBuilder();
    for (IThrowableProxy e = error; e != null; e = e.getCause()) {
      if (e != error) {
        trace.append("Caused by: ");
      }
      trace.append(e.getClassName()).append(": ").append(e.getMessage()).append('\n');
      for (StackTraceElementProxy frame : e.getStackTraceElementProxyArray()) {
        trace.append("\tat ").append(frame.getStackTraceElement()).append('\n');
      }
    }
    return trace.toString();
  }

  private static void field(StringBuilder json, String name, String value) {
    json.append('"').append(name).append("\":\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append("\",");
  }
}
