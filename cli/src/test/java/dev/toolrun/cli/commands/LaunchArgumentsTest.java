package dev.toolrun.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.cli.json.Documents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchArgumentsTest {
  @TempDir Path files;

  @Test
  void stringsJsonValuesAndJsonFiles() throws IOException {
    Path file = Files.writeString(files.resolve("p.json"), "{\"deep\": [1, 2]}");

    var parameters =
        LaunchArguments.parameters(
            List.of(
                "name=Ada",
                "empty=",
                "eq=a=b",
                "n:=3",
                "on:=true",
                "tags:=[\"a\"]",
                "obj=@" + file));

    assertThat(Documents.compact(parameters))
        .isEqualTo(
            "{\"name\":\"Ada\",\"empty\":\"\",\"eq\":\"a=b\",\"n\":3,\"on\":true,\"tags\":[\"a\"],\"obj\":{\"deep\":[1,2]}}");
  }

  @Test
  void malformedParametersAreUsageErrors() {
    assertThatThrownBy(() -> LaunchArguments.parameters(List.of("novalue")))
        .isInstanceOf(UsageException.class)
        .hasMessage("-p 'novalue' is not key=value, key:=json or key=@file.json");
    assertThatThrownBy(() -> LaunchArguments.parameters(List.of("=x")))
        .isInstanceOf(UsageException.class);
    assertThatThrownBy(() -> LaunchArguments.parameters(List.of(":=1")))
        .isInstanceOf(UsageException.class);
    assertThatThrownBy(() -> LaunchArguments.parameters(List.of("a=1", "a=2")))
        .isInstanceOf(UsageException.class)
        .hasMessage("-p gives the parameter 'a' twice");
    assertThatThrownBy(() -> LaunchArguments.parameters(List.of("a:=nope")))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("-p a:= is not valid JSON");
  }

  @Test
  void secretsFromFilesLoseOneTrailingNewlineAndMalformedOnesAreNotEchoed() throws IOException {
    Path key = Files.writeString(files.resolve("key"), "line1\nline2\n\n");

    var secrets = LaunchArguments.secrets(List.of("KEY=@" + key, "PLAIN=value"));

    assertThat(secrets.path("KEY").asString()).isEqualTo("line1\nline2\n");
    assertThat(secrets.path("PLAIN").asString()).isEqualTo("value");
    assertThatThrownBy(() -> LaunchArguments.secrets(List.of("hunter2")))
        .isInstanceOf(UsageException.class)
        .hasMessage("a --secret is not NAME=@file or NAME=value");
  }

  @Test
  void theLaunchRequestLeavesOutWhatWasNotGiven() {
    var empty = Documents.JSON.createObjectNode();

    assertThat(Documents.compact(LaunchArguments.launchRequest("t", null, empty, empty, null)))
        .isEqualTo("{\"tool\":\"t\"}");
    assertThat(
            Documents.compact(
                LaunchArguments.launchRequest(
                    "t",
                    2,
                    LaunchArguments.parameters(List.of("a=b")),
                    LaunchArguments.secrets(List.of("S=v")),
                    null)))
        .isEqualTo(
            "{\"tool\":\"t\",\"version\":2,\"parameters\":{\"a\":\"b\"},\"secrets\":{\"S\":\"v\"}}");
    assertThat(
            Documents.compact(LaunchArguments.launchRequest("t", null, empty, empty, "team-keys")))
        .isEqualTo("{\"tool\":\"t\",\"secretRef\":{\"name\":\"team-keys\"}}");
  }
}
