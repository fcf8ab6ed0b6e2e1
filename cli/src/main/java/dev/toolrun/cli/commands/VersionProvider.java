package dev.toolrun.cli.commands;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code toolrun --version}: the version Maven built, from the jar's own resource. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() throws IOException {
    Properties properties = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("/toolrun-cli.properties")) {
      if (in != null) {
        properties.load(in);
      }
    }
    return new String[] {"toolrun CLI " + properties.getProperty("version", "(unknown version)")};
  }
}
