package io.sextant.engine.program;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Programs as JSON-shaped values (maps, lists, strings, numbers), the form stored in trial params:
 *
 * <pre>{@code
 * {"body": [{"target": "g2", "fn": "square", "args": ["g"]},
 *           {"target": "m", "fn": "interp", "args": ["g", "m", 0.9]}, ...],
 *  "returns": ["update", "m", "v"]}
 * }</pre>
 *
 * A string argument names a variable, a number is a constant. Reading validates fully (unknown functions, arity,
 * undefined variables, scalar returns) and fails with a {@link ProgramException} that names the position.
 */
public final class ProgramJson {
  private ProgramJson() {}

  public static Map<String, Object> toJson(Program p) {
    List<Object> body = new ArrayList<>();
    for (Statement s : p.body()) {
      Map<String, Object> st = new LinkedHashMap<>();
      st.put("target", s.target());
      st.put("fn", s.fn().id());
      List<Object> args = new ArrayList<>();
      for (Operand o : s.args()) {
        args.add(switch (o) {
          case Operand.Ref r -> r.name();
          case Operand.Const c -> c.value();
        });
      }
      st.put("args", args);
      body.add(st);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("body", body);
    out.put("returns", new ArrayList<>(p.returns()));
    return out;
  }

  public static Program fromJson(Object json) {
    if (!(json instanceof Map<?, ?> map)) {
      throw new ProgramException("a program is a JSON object with 'body' and 'returns'");
    }
    if (!(map.get("body") instanceof List<?> body)) {
      throw new ProgramException("program.body must be a list of statements");
    }
    if (!(map.get("returns") instanceof List<?> returns)) {
      throw new ProgramException("program.returns must be a list of 3 variable names");
    }
    List<Statement> statements = new ArrayList<>();
    for (int i = 0; i < body.size(); i++) {
      String at = "program.body[" + i + "]";
      if (!(body.get(i) instanceof Map<?, ?> st)) {
        throw new ProgramException(at + " must be an object {target, fn, args}");
      }
      if (!(st.get("target") instanceof String target)) {
        throw new ProgramException(at + ".target must be a variable name");
      }
      if (!(st.get("fn") instanceof String fnId)) {
        throw new ProgramException(at + ".fn must be a function name");
      }
      Fn fn = Fn.byId(fnId).orElseThrow(() -> new ProgramException(at + ".fn: unknown function '" + fnId + "'"));
      if (!(st.get("args") instanceof List<?> args)) {
        throw new ProgramException(at + ".args must be a list");
      }
      List<Operand> ops = new ArrayList<>();
      for (Object a : args) {
        ops.add(switch (a) {
          case String s -> new Operand.Ref(s);
          case Number n -> new Operand.Const(n.doubleValue());
          case null, default -> throw new ProgramException(at + ".args: a variable name or a number, got " + a);
        });
      }
      try {
        statements.add(new Statement(target, fn, ops));
      } catch (ProgramException e) {
        throw new ProgramException(at + ": " + e.getMessage());
      }
    }
    List<String> names = new ArrayList<>();
    for (Object r : returns) {
      if (!(r instanceof String s)) {
        throw new ProgramException("program.returns must hold variable names");
      }
      names.add(s);
    }
    return new Program(statements, names);
  }
}
