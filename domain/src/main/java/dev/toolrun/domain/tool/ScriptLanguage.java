package dev.toolrun.domain.tool;

/** The languages a script tool may be written in; each runs in a per-language image. */
public enum ScriptLanguage {
  /** Python 3, run as {@code python3 main.py}. */
  PYTHON("main.py"),
  /** POSIX shell, run as {@code sh main.sh}. */
  SHELL("main.sh");

  private final String fileName;

  ScriptLanguage(String fileName) {
    this.fileName = fileName;
  }

  /** The file name the script source is stored under inside the workload. */
  public String fileName() {
    return fileName;
  }
}
