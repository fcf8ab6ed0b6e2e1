package dev.toolrun.adapter.http.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InstantTextTest {

  @Test
  void writesWhatInstantToStringWrites() {
    List<Instant> instants =
        new ArrayList<>(
            List.of(
                Instant.EPOCH,
                Instant.ofEpochSecond(-1),
                Instant.ofEpochSecond(0, 1),
                Instant.ofEpochSecond(59, 120_000_000),
                Instant.ofEpochSecond(86_399, 999_999_000),
                Instant.parse("2026-12-03T09:35:09.806914589Z"),
                Instant.parse("2024-02-29T23:59:59Z"),
                Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("-0001-12-31T23:59:59.5Z"),
                Instant.MIN,
                Instant.MAX));
    Random random = new Random(13);
    for (int i = 0; i < 10_000; i++) {
      int nanos =
          switch (i % 4) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
          };
      instants.add(Instant.ofEpochSecond(random.nextLong() % 400_000_000_000L, nanos));
    }

    for (Instant instant : instants) {
      assertThat(new String(JsonCodec.write(instant), StandardCharsets.UTF_8))
          .as("%s", instant)
          .isEqualTo("\"" + instant + "\"");
    }
  }
}
