package io.sextant.engine.program;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Dead-code removal that keeps names and order: drops statements whose value does not reach a returned value. */
public final class DeadCode {
  private DeadCode() {}

  /** The program without dead statements (same hash, same behaviour). */
  public static Program remove(Program p) {
    boolean[] keep = live(p);
    List<Statement> out = new ArrayList<>();
    for (int i = 0; i < keep.length; i++) {
      if (keep[i]) {
        out.add(p.body().get(i));
      }
    }
    return p.withBody(out);
  }

  /** Per statement, whether its value reaches a returned value (the statements {@link #remove} keeps). */
  public static boolean[] live(Program p) {
    Set<String> live = new HashSet<>(p.returns());
    boolean[] keep = new boolean[p.body().size()];
    for (int i = p.body().size() - 1; i >= 0; i--) {
      Statement s = p.body().get(i);
      if (live.remove(s.target())) {
        keep[i] = true;
        for (Operand o : s.args()) {
          if (o instanceof Operand.Ref r) {
            live.add(r.name());
          }
        }
      }
    }
    return keep;
  }
}
