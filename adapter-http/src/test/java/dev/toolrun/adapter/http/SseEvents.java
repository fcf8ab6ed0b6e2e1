package dev.toolrun.adapter.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads Server-Sent Events from a stream, as the WHATWG parser does (fields {@code id}, {@code
 * event}, {@code data}; comments counted), for the tests.
 */
final class SseEvents implements AutoCloseable {
  /** One event: its id, if it had one, its type ({@code message} by default) and its data. */
  record Event(Optional<String> id, String name, String data) {}

  private final BufferedReader reader;
  private int comments;
  private long bytes;

  SseEvents(InputStream body) {
    this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16);
  }

  /** The next event, or empty at the end of the stream. */
  Optional<Event> next() {
    try {
      String id = null;
      String name = "message";
      StringBuilder data = null;
      String line;
      while ((line = reader.readLine()) != null) {
        bytes += line.length() + 1;
        if (line.isEmpty()) {
          if (data != null) {
            return Optional.of(new Event(Optional.ofNullable(id), name, data.toString()));
          }
          continue;
        }
        if (line.startsWith(":")) {
          comments++;
          continue;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
          value = value.substring(1);
        }
        switch (field) {
          case "id" -> id = value;
          case "event" -> name = value;
          case "data" -> {
            if (data == null) {
              data = new StringBuilder(value);
            } else {
              data.append('\n').append(value);
            }
          }
          default -> {
            // retry, and anything else: not an event's field.
          }
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Comment lines read so far (heartbeats among them). */
  int comments() {
    return comments;
  }

  /** Characters read so far, about the bytes for ASCII. */
  long bytes() {
    return bytes;
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
