package dev.toolrun.adapter.http.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code openapi.json}, which a start builds the contract from, the very document of {@code
 * openapi.yaml}, the one edited and served: the JSON file must be the YAML parsed as {@link
 * ApiContract#parse} parses it, written by {@link JsonObject#encodePrettily()}, byte for byte.
 * After an edit of the YAML, write the JSON again with
 *
 * <pre>
 * mvn -o -q -pl adapter-http -am test -Dtest=OpenApiJsonSyncTest -Dsurefire.failIfNoSpecifiedTests=false -Dopenapi.json.write=true
 * </pre>
 */
class OpenApiJsonSyncTest {
  private static final Path SOURCES = Path.of("src/main/resources");
  private static final String REGENERATE =
      "mvn -o -q -pl adapter-http -am test -Dtest=OpenApiJsonSyncTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dopenapi.json.write=true";

  @Test
  void openapiJsonIsOpenapiYamlAsJson() throws IOException {
    Path yaml = SOURCES.resolve("openapi.yaml");
    Path json = SOURCES.resolve("openapi.json");
    String expected = asJson(Files.readAllBytes(yaml));
    if (Boolean.getBoolean("openapi.json.write")) {
      Files.writeString(json, expected, StandardCharsets.UTF_8);
    }

    String actual = Files.exists(json) ? Files.readString(json, StandardCharsets.UTF_8) : "";
    if (!actual.equals(expected)) {
      fail(
          "%s is not %s as JSON (%s); after an edit of openapi.yaml, write it again with:%n  %s"
              .formatted(json, yaml, firstDifference(expected, actual), REGENERATE));
    }
  }

  /** Where two texts part, for the message: the whole document would bury it. */
  private static String firstDifference(String expected, String actual) {
    String[] want = expected.split("\n", -1);
    String[] have = actual.split("\n", -1);
    for (int line = 0; line < Math.min(want.length, have.length); line++) {
      if (!want[line].equals(have[line])) {
        return "line %d is %s, should be %s"
            .formatted(line + 1, shortened(have[line]), shortened(want[line]));
      }
    }
    return "%d lines, should be %d".formatted(have.length, want.length);
  }

  private static String shortened(String line) {
    String stripped = line.strip();
    return "'" + (stripped.length() > 100 ? stripped.substring(0, 100) + "…" : stripped) + "'";
  }

  @Test
  void theJsonOnTheClasspathIsTheDocumentAStartLoads() {
    // Not isEqualTo: its message would print both documents whole.
    assertThat(ApiContract.json().equals(ApiContract.parse(ApiContract.document())))
        .as(
            "openapi.json on the classpath is openapi.yaml's document; write it again with: %s",
            REGENERATE)
        .isTrue();
  }

  private static String asJson(byte[] yaml) {
    return ApiContract.parse(yaml).encodePrettily() + "\n";
  }
}
