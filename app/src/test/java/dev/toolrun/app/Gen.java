package dev.toolrun.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * A generator of values from a seeded {@link Random}: the few combinators the HTTP fuzz test needs,
 * so that one seed reproduces a whole run.
 */
@FunctionalInterface
interface Gen<T> {

  /** The next value, drawn from {@code random}. */
  T next(Random random);

  default <R> Gen<R> map(Function<? super T, ? extends R> f) {
    return random -> f.apply(next(random));
  }

  default <R> Gen<R> flatMap(Function<? super T, Gen<R>> f) {
    return random -> f.apply(next(random)).next(random);
  }

  /** Lists of {@code min} to {@code max} values. */
  default Gen<List<T>> list(int min, int max) {
    return random -> {
      int size = min + random.nextInt(max - min + 1);
      List<T> values = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        values.add(next(random));
      }
      return values;
    };
  }

  static <T> Gen<T> just(T value) {
    return random -> value;
  }

  /** One of {@code values}, each as likely; {@code null} is a value too. */
  @SafeVarargs
  static <T> Gen<T> of(T... values) {
    List<T> list = new ArrayList<>(values.length);
    for (T value : values) {
      list.add(value);
    }
    return of(list);
  }

  /** One of {@code values}, each as likely; {@code null} is a value too. */
  static <T> Gen<T> of(List<T> values) {
    List<T> copy = new ArrayList<>(values);
    return random -> copy.get(random.nextInt(copy.size()));
  }

  /** A value of one of {@code gens}, each as likely. */
  static <T> Gen<T> oneOf(List<Gen<T>> gens) {
    List<Gen<T>> copy = List.copyOf(gens);
    return random -> copy.get(random.nextInt(copy.size())).next(random);
  }

  /** A generator and how often it is chosen, relative to the others. */
  record Weighted<T>(int weight, Gen<T> gen) {}

  static <T> Weighted<T> w(int weight, Gen<T> gen) {
    return new Weighted<>(weight, gen);
  }

  /** A value of one of {@code choices}, chosen by weight. */
  static <T> Gen<T> frequency(List<Weighted<T>> choices) {
    List<Weighted<T>> copy = List.copyOf(choices);
    int total = copy.stream().mapToInt(Weighted::weight).sum();
    return random -> {
      int ticket = random.nextInt(total);
      for (Weighted<T> choice : copy) {
        ticket -= choice.weight();
        if (ticket < 0) {
          return choice.gen().next(random);
        }
      }
      throw new IllegalStateException("unreachable: the weights add up to " + total);
    };
  }

  /** Whether an event with this chance happens. */
  static Gen<Boolean> chance(double probability) {
    return random -> random.nextDouble() < probability;
  }

  static Gen<Integer> ints(int min, int max) {
    return random -> min + random.nextInt(max - min + 1);
  }

  static Gen<Long> longs() {
    return Random::nextLong;
  }

  /** Strings of {@code min} to {@code max} characters from {@code alphabet}. */
  static Gen<String> strings(String alphabet, int min, int max) {
    return random -> {
      int length = min + random.nextInt(max - min + 1);
      StringBuilder out = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        out.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      return out.toString();
    };
  }

  /** Strings of {@code min} to {@code max} characters from {@code first} to {@code last}. */
  static Gen<String> strings(char first, char last, int min, int max) {
    return random -> {
      int length = min + random.nextInt(max - min + 1);
      StringBuilder out = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        out.append((char) (first + random.nextInt(last - first + 1)));
      }
      return out.toString();
    };
  }
}
