package io.sextant.engine.program;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Readable code for a program, Python-like: {@code + - * /} infix, other functions as calls, constants with up to 6
 * significant digits (the JSON form keeps full precision).
 */
public final class ProgramPrinter {
  private ProgramPrinter() {}

  public static String print(Program p) {
    StringBuilder sb = new StringBuilder("def train(w, g, m, v, lr):\n");
    for (Statement s : p.body()) {
      sb.append("    ").append(s.target()).append(" = ").append(expression(s)).append('\n');
    }
    sb.append("    return ").append(String.join(", ", p.returns())).append('\n');
    return sb.toString();
  }

  static String expression(Statement s) {
    List<String> a = s.args().stream().map(ProgramPrinter::operand).toList();
    String infix = switch (s.fn()) {
      case ADD -> " + ";
      case SUB -> " - ";
      case MUL -> " * ";
      case DIV -> " / ";
      default -> null;
    };
    if (infix != null) {
      return a.get(0) + infix + a.get(1);
    }
    if (s.fn() == Fn.NEG) {
      return "-" + a.get(0);
    }
    return s.fn().id() + "(" + a.stream().collect(Collectors.joining(", ")) + ")";
  }

  static String operand(Operand o) {
    return switch (o) {
      case Operand.Ref r -> r.name();
      case Operand.Const c -> constant(c.value());
    };
  }

  /** Up to 6 significant digits, no trailing zeros; named constants pi, e and eps by name. */
  public static String constant(double v) {
    if (v == Math.PI) {
      return "pi";
    }
    if (v == Math.E) {
      return "e";
    }
    if (v == Fn.EPS) {
      return "eps";
    }
    BigDecimal d = new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros();
    String s = Math.abs(v) >= 1e-4 && Math.abs(v) < 1e7 || v == 0 ? d.toPlainString() : d.toString();
    return s.contains(".") || s.contains("E") ? s : s + ".0";
  }
}
