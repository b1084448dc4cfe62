package io.sextant.api.auth;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Back-off for password sign-ins, per user name and per client address: after {@code freeFailures} failures in a
 * row, the next attempt waits 5 s and each further failure doubles the wait (10 s, 20 s ... at most 15 minutes);
 * attempts during a wait are refused unchecked; a success clears the user's and the address's record. An address may have one check in flight at a
 * time and the server at most as many as it has cores, so a flood of concurrent attempts cannot stall it (each
 * password check is a deliberately slow PBKDF2). Refusals say how long to wait ({@link #retryAfter}).
 *
 * <p>In-memory per replica: behind several replicas an attacker's budget multiplies by their number.
 */
@Component
public class LoginThrottle {
  static final long MAX_WAIT_MILLIS = 15 * 60_000L;
  static final long FIRST_WAIT_MILLIS = 5_000L;
  private final int freeFailures;
  private final LongSupplier clock;
  private final Map<String, Record> records = new ConcurrentHashMap<>();
  private final Semaphore checks = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));

  private record Record(int failures, long blockedUntil) {}

  @Autowired
  LoginThrottle(@Value("${sextant.login.free-failures:5}") int freeFailures) {
    this(freeFailures, System::currentTimeMillis);
  }

  LoginThrottle(int freeFailures, LongSupplier clock) {
    this.freeFailures = freeFailures;
    this.clock = clock;
  }

  /** Milliseconds until the user name or the address may try again; empty when both may try now. */
  public OptionalLong retryAfter(String username, String address) {
    long now = clock.getAsLong();
    long until = Math.max(blockedUntil("u:" + username, now), blockedUntil("a:" + address, now));
    return until > now ? OptionalLong.of(until - now) : OptionalLong.empty();
  }

  private long blockedUntil(String key, long now) {
    Record r = records.get(key);
    return r == null ? 0 : r.blockedUntil();
  }

  /** Runs a password check unless too many run already (then false: the caller answers 429 at once). */
  public boolean tryCheck(String address, Runnable check) {
    Record inFlight = records.putIfAbsent("f:" + address, new Record(0, 0));
    if (inFlight != null) {
      return false;
    }
    try {
      if (!checks.tryAcquire(2, TimeUnit.SECONDS)) {
        return false;
      }
      try {
        check.run();
        return true;
      } finally {
        checks.release();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      records.remove("f:" + address);
    }
  }

  public void failed(String username, String address) {
    long now = clock.getAsLong();
    for (String key : new String[] {"u:" + username, "a:" + address}) {
      records.compute(key, (k, r) -> {
        int failures = (r == null ? 0 : r.failures()) + 1;
        int over = failures - freeFailures;
        long wait = over < 0 ? 0 : Math.min(MAX_WAIT_MILLIS, FIRST_WAIT_MILLIS << Math.min(20, over));
        return new Record(failures, now + wait);
      });
    }
    if (records.size() > 100_000) {
      records.entrySet().removeIf(e -> e.getValue().blockedUntil() < now);
    }
  }

  public void succeeded(String username, String address) {
    records.remove("u:" + username);
    records.remove("a:" + address);
  }
}
