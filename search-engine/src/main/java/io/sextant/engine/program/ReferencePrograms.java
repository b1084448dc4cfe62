package io.sextant.engine.program;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hand-written optimizers as programs. The caller applies {@code w <- w - update}; {@code lr} is the learning rate
 * input that the evaluator's sweep multiplies, each program scaling it by its own base constant.
 */
public final class ReferencePrograms {
  private ReferencePrograms() {}

  /** {@code update = g * (lr * 0.01)}. */
  public static Program sgd() {
    return sgd(0.01);
  }

  /** {@code update = g * (lr * lrScale)}. */
  public static Program sgd(double lrScale) {
    return new Program(List.of(
        Statement.of("lr1", Fn.MUL, "lr", lrScale),
        Statement.of("update", Fn.MUL, "g", "lr1")), List.of("update", "m", "v"));
  }

  /** Heavy-ball momentum: {@code m = 0.9 m + g; update = m * (lr * 0.001)}. */
  public static Program momentum() {
    return momentum(0.9, 0.001);
  }

  public static Program momentum(double beta, double lrScale) {
    return new Program(List.of(
        Statement.of("m0", Fn.MUL, "m", beta),
        Statement.of("m", Fn.ADD, "m0", "g"),
        Statement.of("lr1", Fn.MUL, "lr", lrScale),
        Statement.of("update", Fn.MUL, "m", "lr1")), List.of("update", "m", "v"));
  }

  /**
   * AdamW as in the paper (no bias correction, no eps; the division guard plays eps):
   * <pre>
   * g2 = square(g); m = interp(g, m, 0.9); v = interp(g2, v, 0.999); update = m / sqrt(v)
   * update = update + w * 0.01; update = update * (lr * 0.001)
   * </pre>
   */
  public static Program adamw() {
    return adamw(0.9, 0.999, 0.01, 0.001);
  }

  public static Program adamw(double beta1, double beta2, double weightDecay, double lrScale) {
    return new Program(List.of(
        Statement.of("g2", Fn.SQUARE, "g"),
        Statement.of("m", Fn.INTERP, "g", "m", beta1),
        Statement.of("v", Fn.INTERP, "g2", "v", beta2),
        Statement.of("s", Fn.SQRT, "v"),
        Statement.of("update", Fn.DIV, "m", "s"),
        Statement.of("wd", Fn.MUL, "w", weightDecay),
        Statement.of("update", Fn.ADD, "update", "wd"),
        Statement.of("lr1", Fn.MUL, "lr", lrScale),
        Statement.of("update", Fn.MUL, "update", "lr1")), List.of("update", "m", "v"));
  }

  /**
   * Lion: {@code c = interp(g, m, beta1); update = (sign(c) + wd * w) * lr * lrScale; m = interp(g, m, beta2)}.
   * Default beta1 = 0.9, beta2 = 0.99, wd = 0.1 (10x AdamW's), lrScale = 0.0003 (about 3x smaller than AdamW's).
   */
  public static Program lion() {
    return lion(0.9, 0.99, 0.1, 0.0003);
  }

  public static Program lion(double beta1, double beta2, double weightDecay, double lrScale) {
    return new Program(List.of(
        Statement.of("c", Fn.INTERP, "g", "m", beta1),
        Statement.of("s", Fn.SIGN, "c"),
        Statement.of("wd", Fn.MUL, "w", weightDecay),
        Statement.of("update", Fn.ADD, "s", "wd"),
        Statement.of("lr1", Fn.MUL, "lr", lrScale),
        Statement.of("update", Fn.MUL, "update", "lr1"),
        Statement.of("m", Fn.INTERP, "g", "m", beta2)), List.of("update", "m", "v"));
  }

  /** The reference programs by name: sgd, momentum, adamw, lion. */
  public static Map<String, Program> all() {
    return Map.of("sgd", sgd(), "momentum", momentum(), "adamw", adamw(), "lion", lion());
  }

  public static Optional<Program> byName(String name) {
    return Optional.ofNullable(all().get(name));
  }
}
