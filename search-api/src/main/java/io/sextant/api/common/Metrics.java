package io.sextant.api.common;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * Sextant's own metrics (Micrometer; scraped at /actuator/prometheus): suggest latency, finished trials by state,
 * reaped leases, the sizes of the batches in which concurrent asks and tells of one study are served. Trials pending per state are a gauge computed by {@link PendingTrialsGauge}.
 */
@Component
public class Metrics {
  private final MeterRegistry registry;
  private final Timer suggest;
  private final Counter reaped;

  public Metrics(MeterRegistry registry) {
    this.registry = registry;
    this.suggest = Timer.builder("sextant.suggest").description("time to answer an ask (suggestions or lease)")
        .publishPercentileHistogram().register(registry);
    this.reaped = Counter.builder("sextant.leases.reaped").description("leases that expired without heartbeat")
        .register(registry);
  }

  public Timer suggest() {
    return suggest;
  }

  public void reaped(int n) {
    reaped.increment(n);
  }

  /** The size of a batch of combined asks or tells ({@code kind} ask or tell), see {@link Combiner}. */
  public void batch(String kind, int size) {
    registry.summary("sextant.batch.size", "kind", kind).record(size);
  }

  public void finished(String state) {
    registry.counter("sextant.trials.finished", "state", state).increment();
  }
}
