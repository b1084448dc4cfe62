package io.sextant.api.common;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Caps intermediate measurements per trial with a token bucket: {@code burst} at once, then {@code perSecond}
 * sustained ({@code sextant.limits.measurements.burst}, {@code sextant.limits.measurements.per-second}). A report
 * over the limit is refused with 429 and a Retry-After, before it touches the database, so a runaway training loop
 * cannot flood the measurement table or the stopping rule. The buckets live in this process (each replica limits
 * on its own) and idle ones are dropped, so memory is bounded by the trials reporting right now.
 */
@Component
public class MeasurementRateLimiter {
  private static final long IDLE_NANOS = 60_000_000_000L;
  private final double burst;
  private final double perNano;
  private final LongSupplier clock;
  private final Map<Long, Bucket> buckets = new ConcurrentHashMap<>();
  private volatile long lastSweep;

  @Autowired
  public MeasurementRateLimiter(@Value("${sextant.limits.measurements.burst:200}") int burst,
      @Value("${sextant.limits.measurements.per-second:50}") double perSecond) {
    this(burst, perSecond, System::nanoTime);
  }

  public MeasurementRateLimiter(int burst, double perSecond, LongSupplier nanoClock) {
    if (burst < 1 || !(perSecond > 0)) {
      throw new IllegalArgumentException("measurement limits must be positive");
    }
    this.burst = burst;
    this.perNano = perSecond / 1e9;
    this.clock = nanoClock;
    this.lastSweep = nanoClock.getAsLong();
  }

  /** Takes one token for {@code trialId} or throws a 429 {@link ApiException} naming when to retry. */
  public void acquire(long trialId) {
    long now = clock.getAsLong();
    sweep(now);
    Bucket b = buckets.computeIfAbsent(trialId, k -> new Bucket(burst, now));
    double wait;
    synchronized (b) {
      b.tokens = Math.min(burst, b.tokens + (now - b.at) * perNano);
      b.at = now;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return;
      }
      wait = (1 - b.tokens) / perNano / 1e9;
    }
    long seconds = Math.max(1, (long) Math.ceil(wait));
    throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "step", "trial " + trialId
        + " reports measurements faster than " + perNano * 1e9 + " per second (burst " + (long) burst
        + "); retry in " + seconds + " s or report less often", seconds);
  }

  /** Drops buckets that have been full (idle) for a minute; at most once a minute. */
  private void sweep(long now) {
    if (now - lastSweep < IDLE_NANOS) {
      return;
    }
    lastSweep = now;
    buckets.entrySet().removeIf(e -> now - e.getValue().at > IDLE_NANOS);
  }

  int trackedTrials() {
    return buckets.size();
  }

  private static final class Bucket {
    double tokens;
    long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }
  }
}
