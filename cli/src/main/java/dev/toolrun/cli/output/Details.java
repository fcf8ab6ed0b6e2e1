package dev.toolrun.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * One item for people: "Label: value" lines with the values aligned, fields without a value left
 * out, and indented blocks (a history, a spec) under their label.
 */
public final class Details {
  private final List<String[]> fields = new ArrayList<>();

  /** Adds {@code label: value}, unless the value is null or empty. */
  public Details field(String label, String value) {
    if (value != null && !value.isEmpty()) {
      fields.add(new String[] {label, value, null});
    }
    return this;
  }

  /** Adds {@code label:} followed by {@code block}, indented, unless the block is empty. */
  public Details block(String label, String block) {
    if (block != null && !block.isBlank()) {
      fields.add(new String[] {label, null, block.stripTrailing()});
    }
    return this;
  }

  public void print(PrintWriter out) {
    int width = 0;
    for (String[] field : fields) {
      if (field[1] != null) {
        width = Math.max(width, field[0].length());
      }
    }
    for (String[] field : fields) {
      if (field[1] != null) {
        out.println(field[0] + ":" + " ".repeat(width - field[0].length() + 1) + field[1]);
      } else {
        out.println(field[0] + ":");
        field[2].lines().forEach(line -> out.println("  " + line));
      }
    }
    out.flush();
  }
}
