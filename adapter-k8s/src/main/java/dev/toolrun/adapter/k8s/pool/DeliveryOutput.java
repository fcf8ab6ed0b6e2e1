package dev.toolrun.adapter.k8s.pool;

import dev.toolrun.adapter.k8s.job.PoolRunner;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standard output of a delivery's exec ({@link PoolRunner#deliver}), read as its frames arrive,
 * which may split it anywhere: first the line that says the run was delivered, then, when the tool
 * has ended, the runner's report of how (its exit code, and its termination message's bytes,
 * counted in the report's header).
 */
final class DeliveryOutput {
  private static final Pattern ENDED =
      Pattern.compile(Pattern.quote(PoolRunner.ENDED) + " (\\d{1,9}) (\\d{1,9})\n");
  private static final byte[] DELIVERED =
      (PoolRunner.DELIVERED + "\n").getBytes(StandardCharsets.US_ASCII);

  /** The tool's end as the runner reported it. */
  record End(int exitCode, Optional<String> terminationMessage) {}

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private boolean delivered;
  private Optional<End> end = Optional.empty();

  /** Adds the next bytes of standard output. */
  void append(byte[] data) {
    bytes.writeBytes(data);
    byte[] all = bytes.toByteArray();
    if (!delivered) {
      delivered = startsWith(all, DELIVERED);
    }
    if (delivered && end.isEmpty()) {
      end = parseEnd(all);
    }
  }

  /** Whether the delivery said it woke the runner. */
  boolean delivered() {
    return delivered;
  }

  /** How the tool ended, once the whole report came. */
  Optional<End> end() {
    return end;
  }

  /** What was written, as text (for a failed delivery's message). */
  String text() {
    return bytes.toString(StandardCharsets.UTF_8).strip();
  }

  private static Optional<End> parseEnd(byte[] all) {
    // Latin-1 maps each byte to one char, so offsets in the text are offsets in the bytes.
    String text =
        new String(
            all, DELIVERED.length, all.length - DELIVERED.length, StandardCharsets.ISO_8859_1);
    Matcher header = ENDED.matcher(text);
    if (!header.lookingAt()) {
      return Optional.empty();
    }
    int length = Integer.parseInt(header.group(2));
    int from = DELIVERED.length + header.end();
    if (all.length - from < length) {
      return Optional.empty();
    }
    String message = new String(all, from, length, StandardCharsets.UTF_8);
    return Optional.of(
        new End(
            Integer.parseInt(header.group(1)),
            message.isEmpty() ? Optional.empty() : Optional.of(message)));
  }

  private static boolean startsWith(byte[] all, byte[] prefix) {
    if (all.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (all[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
