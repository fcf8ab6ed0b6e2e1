package dev.toolrun.cli.output;

import dev.toolrun.cli.json.Documents;
import java.io.PrintWriter;
import tools.jackson.databind.JsonNode;

/** Instances (the API's {@code Instance}) for people: a table of many, the details of one. */
public final class InstanceViews {
  private InstanceViews() {}

  public static Table table() {
    return new Table("ID", "TOOL", "VERSION", "STATE", "CREATED", "INFO");
  }

  public static void addRow(Table table, JsonNode instance) {
    table.row(
        text(instance, "id"),
        text(instance, "tool"),
        text(instance, "toolVersion"),
        text(instance, "state"),
        text(instance, "createdAt"),
        info(instance));
  }

  /** The one fact worth a glance: why it failed, its exit code, or its place in the queue. */
  static String info(JsonNode instance) {
    JsonNode failure = instance.path("failure");
    if (failure.isObject()) {
      String kind = failure.path("kind").asString("");
      return instance.has("exitCode") ? kind + " (exit " + text(instance, "exitCode") + ")" : kind;
    }
    if (instance.has("queuePosition")) {
      return "queued #" + text(instance, "queuePosition");
    }
    return "";
  }

  public static void details(PrintWriter out, JsonNode instance) {
    Details details = new Details();
    details.field("ID", text(instance, "id"));
    details.field(
        "Tool", text(instance, "tool") + " (version " + text(instance, "toolVersion") + ")");
    details.field("Mode", text(instance, "mode"));
    details.field("State", text(instance, "state"));
    details.field("Queue position", text(instance, "queuePosition"));
    details.field("Created", text(instance, "createdAt"));
    details.field("Updated", text(instance, "updatedAt"));
    details.field("Exit code", text(instance, "exitCode"));
    JsonNode failure = instance.path("failure");
    if (failure.isObject()) {
      details.field(
          "Failure",
          failure.path("kind").asString("") + ": " + failure.path("message").asString(""));
    }
    if (instance.has("result")) {
      details.field("Result", Documents.compact(instance.get("result")));
    }
    JsonNode parameters = instance.path("parameters");
    if (parameters.isObject() && !parameters.isEmpty()) {
      details.field("Parameters", Documents.compact(parameters));
    }
    JsonNode secrets = instance.path("secretNames");
    if (secrets.isArray() && !secrets.isEmpty()) {
      StringBuilder names = new StringBuilder();
      secrets.forEach(name -> names.append(names.isEmpty() ? "" : ", ").append(name.asString()));
      details.field("Secrets", names + " (values are never shown)");
    }
    JsonNode health = instance.path("health");
    if (health.isObject()) {
      details.field(
          "Health",
          "last healthy "
              + health.path("lastHealthyAt").asString("never")
              + ", "
              + health.path("consecutiveFailures").asInt()
              + " failed checks since"
              + (health.has("lastError")
                  ? ", last error: " + health.get("lastError").asString()
                  : ""));
      details.field("Restarts", text(instance, "restarts"));
    }
    StringBuilder history = new StringBuilder();
    for (JsonNode step : instance.path("history")) {
      history
          .append(
              String.format(
                  "%-10s %s", step.path("state").asString(""), step.path("at").asString("")))
          .append('\n');
    }
    details.block("History", history.toString());
    details.print(out);
  }

  /** One line that says how a run ended, for the end of {@code run --follow}. */
  public static String summary(JsonNode instance) {
    StringBuilder line =
        new StringBuilder()
            .append(text(instance, "tool"))
            .append(' ')
            .append(text(instance, "id"))
            .append(' ')
            .append(text(instance, "state"));
    String info = info(instance);
    if (!info.isEmpty()) {
      line.append(": ").append(info);
    }
    JsonNode failure = instance.path("failure");
    if (failure.has("message")) {
      line.append(": ").append(failure.get("message").asString());
    }
    if (instance.has("result")) {
      line.append("; result: ").append(Documents.compact(instance.get("result")));
    }
    return line.toString();
  }

  static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return "";
    }
    return value.isValueNode() ? value.asString() : Documents.compact(value);
  }
}
