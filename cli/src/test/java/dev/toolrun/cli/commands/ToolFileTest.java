package dev.toolrun.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.cli.json.DocumentException;
import dev.toolrun.cli.json.Documents;
import org.junit.jupiter.api.Test;

class ToolFileTest {
  @Test
  void theBodyIsDescriptionAndSpecAndTheReadOnlyFieldsAreIgnored() {
    var tools =
        ToolFile.parse(
            """
            name: greeter
            version: 7
            mode: TASK
            registeredAt: 2026-01-01T00:00:00Z
            description: Greets
            spec: {mode: TASK, image: {name: x}}
            """,
            "f.yaml");

    assertThat(tools).hasSize(1);
    assertThat(tools.get(0).name()).isEqualTo("greeter");
    assertThat(Documents.compact(tools.get(0).body()))
        .isEqualTo(
            "{\"description\":\"Greets\",\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"x\"}}}");
  }

  @Test
  void jsonAndSeveralYamlDocuments() {
    assertThat(ToolFile.parse("{\"name\": \"a\", \"spec\": {\"mode\": \"TASK\"}}", "a.json"))
        .extracting(ToolFile::name)
        .containsExactly("a");
    assertThat(ToolFile.parse("name: a\nspec: {}\n---\nname: b\nspec: {}\n", "two.yaml"))
        .extracting(ToolFile::name)
        .containsExactly("a", "b");
  }

  @Test
  void anUnknownKeyAMissingNameOrSpecAndBadSyntaxAreRefused() {
    assertThatThrownBy(() -> ToolFile.parse("name: a\nspecs: {}\n", "f.yaml"))
        .isInstanceOf(DocumentException.class)
        .hasMessage(
            "f.yaml has an unknown key 'specs' (a tool file has name, description and spec)");
    assertThatThrownBy(() -> ToolFile.parse("spec: {}\n", "f.yaml"))
        .hasMessage("f.yaml has no name (a string)");
    assertThatThrownBy(() -> ToolFile.parse("name: a\n---\nname: b\nspec: {}\n", "f.yaml"))
        .hasMessage("f.yaml (document 1) has no spec (a mapping)");
    assertThatThrownBy(() -> ToolFile.parse("- a\n- b\n", "f.yaml"))
        .hasMessage("f.yaml (document 1) must be a mapping with name, description and spec");
    assertThatThrownBy(() -> ToolFile.parse("{\"name\": ", "f.json"))
        .hasMessageStartingWith("f.json is not valid JSON: ");
    assertThatThrownBy(() -> ToolFile.parse("   \n", "f.yaml")).hasMessage("f.yaml is empty");
  }
}
