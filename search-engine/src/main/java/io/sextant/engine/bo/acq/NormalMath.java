package io.sextant.engine.bo.acq;

import org.apache.commons.math3.special.Erf;

/**
 * Numerically stable functions of the standard normal distribution used by the acquisitions. All are pure and
 * thread-safe; inputs are plain doubles, outputs never NaN for finite inputs.
 */
public final class NormalMath {
  private static final double SQRT2 = Math.sqrt(2.0);
  private static final double LOG_SQRT_2PI = 0.5 * Math.log(2.0 * Math.PI);
  private static final double HALF_LOG_PI_OVER_2 = 0.5 * Math.log(Math.PI / 2.0);
  private static final double INV_SQRT_PI = 1.0 / Math.sqrt(Math.PI);
  private static final double INV_SQRT_EPS = 1.0 / Math.sqrt(Math.ulp(1.0));

  private NormalMath() {}

  /** Density phi(z). */
  public static double pdf(double z) {
    return Math.exp(logPdf(z));
  }

  /** log phi(z). */
  public static double logPdf(double z) {
    return -0.5 * z * z - LOG_SQRT_2PI;
  }

  /** Distribution function Phi(z). */
  public static double cdf(double z) {
    return 0.5 * Erf.erfc(-z / SQRT2);
  }

  /** log Phi(z), accurate in both tails (no underflow to -infinity for very negative z). */
  public static double logCdf(double z) {
    if (z > 5) {
      return Math.log1p(-0.5 * Erf.erfc(z / SQRT2));
    }
    if (z > -5) {
      return Math.log(cdf(z));
    }
    // Phi(z) = erfc(-z/sqrt2)/2 = erfcx(-z/sqrt2) exp(-z^2/2) / 2
    return Math.log(0.5 * erfcx(-z / SQRT2)) - 0.5 * z * z;
  }

  /**
   * Scaled complementary error function erfcx(x) = exp(x^2) erfc(x), relative accuracy about 1e-15 for x >= 0
   * (the JDK has none). Negative x use erfcx(x) = 2 exp(x^2) - erfcx(-x) (overflows to +infinity below -26).
   */
  public static double erfcx(double x) {
    if (x < 0) {
      return 2.0 * Math.exp(x * x) - erfcx(-x);
    }
    if (x < 3.0) {
      return Math.exp(x * x) * Erf.erfc(x);
    }
    if (x > 1e8) {
      // Asymptotic 1/(x sqrt(pi)) (1 - 1/(2x^2)); the correction is below double precision here.
      return INV_SQRT_PI / x;
    }
    // Continued fraction erfc(x) exp(x^2) = (1/sqrt(pi)) 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), modified Lentz.
    double tiny = 1e-300;
    double f = x;
    double c = x;
    double d = 0;
    for (int k = 1; k < 5000; k++) {
      double a = k / 2.0;
      d = x + a * d;
      d = Math.abs(d) < tiny ? tiny : d;
      c = x + a / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1.0 / d;
      double delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1.0) < 1e-16) {
        break;
      }
    }
    return INV_SQRT_PI / f;
  }

  /** log(1 - exp(x)) for x < 0, accurate near 0 and for very negative x. */
  public static double log1mexp(double x) {
    return x > -Math.log(2.0) ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
  }

  /**
   * log h(u) with h(u) = phi(u) + u Phi(u) (the expected improvement of a unit normal at standardized improvement
   * u), stable for every u (Ament et al. 2023): direct for u > -1, through erfcx below, asymptotic for u below
   * -1/sqrt(eps).
   */
  public static double logH(double u) {
    if (u > -1) {
      return Math.log(pdf(u) + u * cdf(u));
    }
    if (u > -INV_SQRT_EPS) {
      double w = Math.log(erfcx(-u / SQRT2) * Math.abs(u)) + HALF_LOG_PI_OVER_2;
      if (w < 0) {
        return logPdf(u) + log1mexp(w);
      }
      // w is about -1/u^2; below about u = -1e7 rounding can make it >= 0: use the asymptotic form there
    }
    return logPdf(u) - 2.0 * Math.log(Math.abs(u));
  }

  /** d log h(u) / du = Phi(u) / h(u), computed in log space. */
  public static double dLogH(double u) {
    return Math.exp(logCdf(u) - logH(u));
  }

  /** d log Phi(z) / dz = phi(z) / Phi(z), computed in log space. */
  public static double dLogCdf(double z) {
    return Math.exp(logPdf(z) - logCdf(z));
  }
}
