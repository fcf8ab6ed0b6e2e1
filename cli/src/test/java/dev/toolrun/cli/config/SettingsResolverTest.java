package dev.toolrun.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flag beats environment beats config file beats default, for the URL and the token alike. */
class SettingsResolverTest {
  @TempDir Path home;

  @Test
  void withNothingTheDefaultUrlAndNoToken() {
    ClientSettings settings = resolve(Map.of(), null, null, null);

    assertThat(settings.url()).isEqualTo(URI.create("http://localhost:8080"));
    assertThat(settings.urlSource()).isEqualTo("the default");
    assertThat(settings.token()).isEmpty();
  }

  @Test
  void theDefaultConfigFileBeatsTheDefault() throws IOException {
    Path file = defaultConfigFile("url: https://toolrun.example/\ntoken: from-file\n");

    ClientSettings settings = resolve(Map.of(), null, null, null);

    assertThat(settings.url()).isEqualTo(URI.create("https://toolrun.example"));
    assertThat(settings.token()).hasValue("from-file");
    assertThat(settings.urlSource()).isEqualTo("config file " + file);
  }

  @Test
  void theEnvironmentBeatsTheFileAndFlagsBeatTheEnvironment() throws IOException {
    defaultConfigFile("url: http://file:1\ntoken: from-file\n");
    Map<String, String> environment =
        Map.of("TOOLRUN_URL", "http://env:2", "TOOLRUN_TOKEN", "from-env");

    ClientSettings fromEnvironment = resolve(environment, null, null, null);
    ClientSettings fromFlags = resolve(environment, "http://flag:3", "from-flag", null);
    ClientSettings mixed =
        resolve(Map.of("TOOLRUN_TOKEN", "from-env"), "http://flag:3", null, null);

    assertThat(fromEnvironment.url()).isEqualTo(URI.create("http://env:2"));
    assertThat(fromEnvironment.token()).hasValue("from-env");
    assertThat(fromEnvironment.tokenSource()).isEqualTo("TOOLRUN_TOKEN");
    assertThat(fromFlags.url()).isEqualTo(URI.create("http://flag:3"));
    assertThat(fromFlags.token()).hasValue("from-flag");
    assertThat(mixed.url()).isEqualTo(URI.create("http://flag:3"));
    assertThat(mixed.token()).hasValue("from-env");
  }

  @Test
  void aConfigFileNamedByFlagOrVariableMustExistAndBeatsTheDefaultFile() throws IOException {
    defaultConfigFile("url: http://default-file:1\n");
    Path named = Files.writeString(home.resolve("other.yaml"), "{\"url\": \"http://named:2\"}");

    assertThat(resolve(Map.of("TOOLRUN_CONFIG", named.toString()), null, null, null).url())
        .isEqualTo(URI.create("http://named:2"));
    assertThat(resolve(Map.of(), null, null, named).url()).isEqualTo(URI.create("http://named:2"));
    assertThatThrownBy(() -> resolve(Map.of(), null, null, home.resolve("missing.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("missing.yaml (from --config) does not exist");
    assertThatThrownBy(() -> resolve(Map.of("TOOLRUN_CONFIG", "/nope.yaml"), null, null, null))
        .hasMessageContaining("(from TOOLRUN_CONFIG) does not exist");
  }

  @Test
  void xdgConfigHomeMovesTheDefaultFile() throws IOException {
    Path xdg = Files.createDirectories(home.resolve("xdg/toolrun"));
    Files.writeString(xdg.resolve("config.yaml"), "url: http://xdg:4\n");

    assertThat(
            resolve(Map.of("XDG_CONFIG_HOME", home.resolve("xdg").toString()), null, null, null)
                .url())
        .isEqualTo(URI.create("http://xdg:4"));
  }

  @Test
  void unknownKeysNonStringsAndBadUrlsAreRefused() throws IOException {
    defaultConfigFile("url: http://x\ntokn: typo\n");
    assertThatThrownBy(() -> resolve(Map.of(), null, null, null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key 'tokn' (known: url, token)");

    defaultConfigFile("url: 8080\n");
    assertThatThrownBy(() -> resolve(Map.of(), null, null, null))
        .hasMessageContaining("'url' must be a string");

    for (String bad : new String[] {"localhost:8080", "ftp://host", "http://", "http://h/?q=1"}) {
      assertThatThrownBy(() -> resolve(Map.of(), bad, null, home.resolve("none-needed.yaml")))
          .isInstanceOf(ConfigException.class);
    }
    Files.writeString(home.resolve("none-needed.yaml"), "{}");
    assertThatThrownBy(
            () -> resolve(Map.of(), "localhost:8080", null, home.resolve("none-needed.yaml")))
        .hasMessage(
            "the server URL 'localhost:8080' (from --url) is not an http:// or https:// URL with a"
                + " host");
  }

  private Path defaultConfigFile(String content) throws IOException {
    Path directory = Files.createDirectories(home.resolve(".config/toolrun"));
    return Files.writeString(directory.resolve("config.yaml"), content);
  }

  private ClientSettings resolve(
      Map<String, String> environment, String url, String token, Path config) {
    return new SettingsResolver(environment, home)
        .resolve(Optional.ofNullable(url), Optional.ofNullable(token), Optional.ofNullable(config));
  }
}
