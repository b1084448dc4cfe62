package io.sextant.evaluators.builtin;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.designer.OptionSpec;
import io.sextant.engine.designer.Options;
import io.sextant.engine.study.StudyProblem;
import io.sextant.evaluators.spi.EvaluationContext;
import io.sextant.evaluators.spi.Evaluator;
import io.sextant.evaluators.spi.EvaluatorProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An evaluator that does no real work, for testing dispatch: it takes {@code sleepMs} per trial, fails a predictable
 * share {@code failRate} of trials and returns values derived from the parameters.
 *
 * <p>Accepts any problem. For objective i (in objective order) it returns {@code value(params) + i}, see
 * {@link #value(Map)}. Which trials fail is decided by {@link #fails(long, Map, double)} from the trial number and
 * the parameters alone, so a test can predict it. While sleeping it checks
 * {@link EvaluationContext#stopRequested()} every few milliseconds and reports its value every
 * {@code reportEveryMs}; on a stop request it returns its value at once.
 */
public final class Noop implements EvaluatorProvider {
  static final String SLEEP_MS = "sleepMs";
  static final String FAIL_RATE = "failRate";
  static final String REPORT_EVERY_MS = "reportEveryMs";
  private static final int ONE_DAY_MS = 86_400_000;
  private static final long TICK_MS = 10;

  @Override
  public String name() {
    return "noop";
  }

  @Override
  public String description() {
    return "Does no work, for testing dispatch: takes sleepMs per trial, fails a predictable share failRate of"
        + " trials, returns the sum of the numeric parameters plus a hash of the others (+ i for objective i)";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.of(SLEEP_MS, "integer", 0L, "how long each trial takes, in milliseconds (0 to 86400000)"),
        OptionSpec.of(FAIL_RATE, "number", 0.0,
            "share of trials that fail, 0 to 1, chosen deterministically from the trial number and parameters"),
        OptionSpec.of(REPORT_EVERY_MS, "integer", 1000L,
            "interval between intermediate reports while sleeping, in milliseconds (0 = never report)"));
  }

  @Override
  public Evaluator create(StudyProblem problem, Map<String, Object> config) {
    Options o = new Options(config).allowOnly(Set.of(SLEEP_MS, FAIL_RATE, REPORT_EVERY_MS));
    int sleepMs = o.getInt(SLEEP_MS, 0, 0, ONE_DAY_MS);
    double failRate = o.getDouble(FAIL_RATE, 0.0);
    if (failRate < 0 || failRate > 1) {
      throw new ConfigException(FAIL_RATE, "option 'failRate' must be between 0 and 1 (got " + failRate + ")");
    }
    int reportEveryMs = o.getInt(REPORT_EVERY_MS, 1000, 0, ONE_DAY_MS);
    return (params, context) -> evaluate(params, context, sleepMs, failRate, reportEveryMs);
  }

  private static Map<String, Double> evaluate(
      Map<String, Object> params, EvaluationContext context, int sleepMs, double failRate, int reportEveryMs)
      throws InterruptedException {
    Map<String, Double> result = new LinkedHashMap<>();
    double base = value(params);
    List<String> metrics = context.objectiveMetrics();
    for (int i = 0; i < metrics.size(); i++) {
      result.put(metrics.get(i), base + i);
    }
    long start = System.nanoTime();
    long end = start + sleepMs * 1_000_000L;
    long nextReport = start + reportEveryMs * 1_000_000L;
    long step = 0;
    while (true) {
      if (context.stopRequested()) {
        return result;
      }
      long now = System.nanoTime();
      if (now - end >= 0) {
        break;
      }
      if (reportEveryMs > 0 && now - nextReport >= 0) {
        nextReport += reportEveryMs * 1_000_000L;
        if (context.report(++step, result)) {
          return result;
        }
      }
      Thread.sleep(Math.min(TICK_MS, Math.max(1, (end - now) / 1_000_000L)));
    }
    if (fails(context.trialNumber(), params, failRate)) {
      throw new IllegalStateException("noop: simulated failure of trial " + context.trialNumber()
          + " (failRate " + failRate + ")");
    }
    return result;
  }

  /**
   * The noop value of a parameter assignment: the sum of its numeric values plus, for every other value, a number in
   * [0, 1) hashed from {@code name=value}. Always finite for finite inputs; independent of map order.
   */
  public static double value(Map<String, ?> params) {
    double sum = 0;
    for (var e : new TreeMap<String, Object>(params).entrySet()) {
      Object v = e.getValue();
      if (v instanceof Number n) {
        sum += n.doubleValue();
      } else if (v != null) {
        sum += unit(mix(stringHash(e.getKey() + "=" + v)));
      }
    }
    return sum;
  }

  /**
   * Whether trial {@code trialNumber} with these parameters fails at the given rate: a hash of both mapped to
   * [0, 1) and compared with {@code failRate}. Deterministic, independent of map order; numbers compare by value
   * (1, 1L and 1.0 hash alike). Rate 0 never fails, rate 1 always does.
   */
  public static boolean fails(long trialNumber, Map<String, ?> params, double failRate) {
    if (failRate <= 0) {
      return false;
    }
    if (failRate >= 1) {
      return true;
    }
    long h = mix(trialNumber);
    for (var e : new TreeMap<String, Object>(params).entrySet()) {
      h = 31 * h + stringHash(e.getKey());
      Object v = e.getValue();
      h = 31 * h + (v instanceof Number n ? Double.hashCode(n.doubleValue()) : stringHash(String.valueOf(v)));
    }
    return unit(mix(h)) < failRate;
  }

  private static long stringHash(String s) {
    return s.hashCode();
  }

  /** SplitMix64 finalizer. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  private static double unit(long h) {
    return (h >>> 11) * 0x1.0p-53;
  }
}
