package dev.toolrun.cli.json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * The CLI's JSON and YAML: one configured mapper of each, never changed after construction, and the
 * reading of documents that a user wrote (a tool file, a parameter file, the config file).
 */
public final class Documents {
  /** Compact JSON, for request bodies and one-line values. */
  public static final JsonMapper JSON = JsonMapper.builder().build();

  /** Indented JSON, for {@code -o json}. */
  public static final JsonMapper PRETTY_JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  /** YAML without a document marker and with quotes only where needed, for {@code -o yaml}. */
  public static final YAMLMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
          .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
          .build();

  private Documents() {}

  /**
   * Reads {@code text} as JSON when it looks like JSON (it starts with '{' or '['), as YAML
   * otherwise; {@code source} names it in the error.
   */
  public static JsonNode parse(String text, String source) {
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      throw new DocumentException(source + " is empty");
    }
    boolean json = trimmed.startsWith("{") || trimmed.startsWith("[");
    try {
      JsonNode node = json ? JSON.readTree(text) : YAML.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new DocumentException(source + " is empty");
      }
      return node;
    } catch (JacksonException e) {
      throw new DocumentException(
          source + " is not valid " + (json ? "JSON" : "YAML") + ": " + reason(e));
    }
  }

  /**
   * Reads every document in {@code text}: one JSON value, or YAML documents separated by {@code
   * ---}; {@code source} names it in errors.
   */
  public static List<JsonNode> parseAll(String text, String source) {
    String trimmed = text.strip();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      return List.of(parse(text, source));
    }
    List<JsonNode> documents = new ArrayList<>();
    try (MappingIterator<JsonNode> values = YAML.readerFor(JsonNode.class).readValues(text)) {
      while (values.hasNextValue()) {
        JsonNode node = values.nextValue();
        if (node != null && !node.isMissingNode() && !node.isNull()) {
          documents.add(node);
        }
      }
    } catch (JacksonException e) {
      throw new DocumentException(source + " is not valid YAML: " + reason(e));
    }
    if (documents.isEmpty()) {
      throw new DocumentException(source + " is empty");
    }
    return documents;
  }

  /** Reads the JSON value in {@code text}, strictly as JSON; {@code source} names it in errors. */
  public static JsonNode parseJson(String text, String source) {
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new DocumentException(source + " is empty");
      }
      return node;
    } catch (JacksonException e) {
      throw new DocumentException(source + " is not valid JSON: " + reason(e));
    }
  }

  /** The text of {@code file}, as UTF-8. */
  public static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new DocumentException("no such file: " + file);
    } catch (IOException e) {
      throw new DocumentException("cannot read " + file + ": " + e.getMessage());
    } catch (UncheckedIOException e) {
      throw new DocumentException("cannot read " + file + ": " + e.getCause().getMessage());
    }
  }

  /** What Jackson found wrong, without its location boilerplate. */
  private static String reason(JacksonException e) {
    String message = e.getOriginalMessage();
    for (String noise : new String[] {" (start marker at", " at [Source", "\n"}) {
      int at = message.indexOf(noise);
      if (at > 0) {
        message = message.substring(0, at);
      }
    }
    TokenStreamLocation where = e.getLocation();
    return where != null && where.getLineNr() > 0
        ? message + " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")"
        : message;
  }

  /** {@code value} as one line of compact JSON. */
  public static String compact(JsonNode value) {
    return JSON.writeValueAsString(value);
  }
}
