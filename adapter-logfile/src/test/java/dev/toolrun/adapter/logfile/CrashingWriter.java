package dev.toolrun.adapter.logfile;

import dev.toolrun.domain.instance.InstanceId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The writer {@link FileLogStoreCrashTest} kills: appends numbered lines to the log of the instance
 * named in its arguments, forever, and prints how many lines the store has accepted after each
 * append returned.
 */
public final class CrashingWriter {
  private CrashingWriter() {}

  public static void main(String[] args) {
    FileLogStore store =
        new FileLogStore(
            new FileLogStoreConfig(Path.of(args[0]), Long.MAX_VALUE, 8192, Duration.ofSeconds(1)));
    InstanceId id = new InstanceId(args[1]);
    for (long n = 0; ; ) {
      List<String> batch = new ArrayList<>(50);
      for (int i = 0; i < 50; i++, n++) {
        batch.add("line " + n);
      }
      store.append(id, batch, "after " + n);
      System.out.println(n);
      System.out.flush();
    }
  }
}
