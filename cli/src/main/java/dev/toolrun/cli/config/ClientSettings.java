package dev.toolrun.cli.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Optional;

/** Where the server is and the token to send it, each with where it was found. */
public record ClientSettings(
    URI url, String urlSource, Optional<String> token, String tokenSource) {
  public ClientSettings {
    requireNonNull(url, "url is null");
    requireNonNull(urlSource, "urlSource is null");
    requireNonNull(token, "token is null");
    requireNonNull(tokenSource, "tokenSource is null");
  }
}
