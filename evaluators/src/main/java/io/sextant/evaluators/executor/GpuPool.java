package io.sextant.evaluators.executor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * The GPUs of one executor node and which attempts hold them. An attempt either takes {@code k} free devices
 * ({@link #acquire}: the lowest free indices, waiting while too few are free) or holds the devices the server named
 * in its lease ({@link #hold}, even if another attempt holds them already: the server decides). Either way the
 * devices are counted as held until {@link #release}, so locally chosen devices are never shared with another
 * attempt. Thread-safe.
 */
final class GpuPool {
  private static final long TICK_MS = 50;

  private final List<Integer> devices;
  private final Map<Integer, Integer> holders = new HashMap<>();

  GpuPool(List<Integer> devices) {
    this.devices = List.copyOf(new TreeSet<>(devices));
  }

  /** Number of devices. */
  int size() {
    return devices.size();
  }

  /** The device indices, ascending. */
  List<Integer> devices() {
    return devices;
  }

  /** Takes the {@code k} lowest free devices if that many are free now. */
  synchronized Optional<List<Integer>> tryAcquire(int k) {
    if (k < 0 || k > devices.size()) {
      throw new IllegalArgumentException("cannot take " + k + " of " + devices.size() + " GPU(s)");
    }
    List<Integer> free = new ArrayList<>();
    for (int d : devices) {
      if (free.size() == k) {
        break;
      }
      if (holders.getOrDefault(d, 0) == 0) {
        free.add(d);
      }
    }
    if (free.size() < k) {
      return Optional.empty();
    }
    free.forEach(d -> holders.merge(d, 1, Integer::sum));
    return Optional.of(List.copyOf(free));
  }

  /**
   * Takes {@code k} free devices, waiting until that many are free. Returns empty when {@code cancelled} turns true
   * first (checked at least every 50 ms).
   *
   * @throws IllegalArgumentException when {@code k} exceeds the number of devices (it could never be met)
   * @throws InterruptedException when interrupted while waiting
   */
  synchronized Optional<List<Integer>> acquire(int k, BooleanSupplier cancelled) throws InterruptedException {
    while (true) {
      Optional<List<Integer>> got = tryAcquire(k);
      if (got.isPresent() || cancelled.getAsBoolean()) {
        return got;
      }
      wait(TICK_MS);
    }
  }

  /** Counts the given devices (as the server assigned them) as held. */
  synchronized void hold(List<Integer> gpus) {
    gpus.forEach(d -> holders.merge(d, 1, Integer::sum));
  }

  /** Gives back devices taken by {@link #acquire} or {@link #hold}. */
  synchronized void release(List<Integer> gpus) {
    for (int d : gpus) {
      holders.computeIfPresent(d, (key, n) -> n <= 1 ? null : n - 1);
    }
    notifyAll();
  }

  /** Devices held right now, ascending. */
  synchronized List<Integer> held() {
    return List.copyOf(new TreeSet<>(holders.keySet()));
  }
}
