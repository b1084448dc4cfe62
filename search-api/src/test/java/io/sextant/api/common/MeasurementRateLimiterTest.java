package io.sextant.api.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket on a hand-driven clock. */
class MeasurementRateLimiterTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final MeasurementRateLimiter limiter = new MeasurementRateLimiter(3, 2.0, now::get);

  @Test
  void aBurstPassesThenTheSustainedRateWithARetryHint() {
    for (int i = 0; i < 3; i++) {
      limiter.acquire(7);
    }
    assertThatThrownBy(() -> limiter.acquire(7)).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.status().value()).isEqualTo(429);
      assertThat(e.retryAfterSeconds()).contains(1L);
    });
    now.addAndGet(500_000_000L); // half a second at 2 per second refills one token
    limiter.acquire(7);
    assertThatThrownBy(() -> limiter.acquire(7)).isInstanceOf(ApiException.class);
    limiter.acquire(8); // other trials have their own bucket
    now.addAndGet(10_000_000_000L); // a long pause refills to the burst, not beyond
    for (int i = 0; i < 3; i++) {
      limiter.acquire(7);
    }
    assertThatThrownBy(() -> limiter.acquire(7)).isInstanceOf(ApiException.class);
  }

  @Test
  void refusalsDoNotSpendTokens() {
    for (int i = 0; i < 3; i++) {
      limiter.acquire(1);
    }
    for (int i = 0; i < 100; i++) {
      assertThatThrownBy(() -> limiter.acquire(1)).isInstanceOf(ApiException.class);
    }
    now.addAndGet(500_000_000L);
    limiter.acquire(1);
  }
}
