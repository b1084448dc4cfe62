package io.sextant.engine.bandit;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.designer.OptionSpec;
import io.sextant.engine.designer.Options;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The context of the contextual designers as features, learned from the contexts users send: no ranges or keys to
 * configure.
 *
 * <p><b>Fields.</b> Every entry of a request's context is a field (restricted to the names in the option
 * {@code contextFields} when given). A field whose values are numbers or booleans (true = 1, false = 0) is numeric;
 * one whose values are strings is categorical (at most {@link #MAX_CATEGORIES} distinct values). A field that has had
 * both numbers and strings, or more categories, is dropped for good. What is known about the fields ({@link Fields}:
 * kind, range, categories) is part of the designer state and grows with the contexts of the learned trials; it is a
 * function of the set of those contexts, so any folding order gives the same fields.
 *
 * <p><b>Columns.</b> Column 0 is the intercept. A numeric field has Chebyshev polynomials T1..Td of its value mapped
 * from [min, max] of the values seen so far onto [-1, 1], then a missing indicator (1 when the context lacks the
 * field). A categorical field has one indicator per category (sorted) and one for "missing". Fields are taken in name
 * order while the columns fit the budget (fields beyond it are ignored; restrict the fields to choose). The degree d
 * of the numeric fields is {@code min(degree, 12 / k, budget / k - 1)} (at least 1) with k the number of fields seen,
 * so more fields get lower degrees and the budget holds; degree 0 leaves numeric fields out.
 *
 * <p><b>Online scaling without refolding.</b> When the range of a field grows, T_j of the old mapped value is a
 * polynomial of degree j in the new one, so every column of the old layout is an exact linear combination of the new
 * layout's columns (and vice versa): {@link #transform} gives the matrix M with {@code new row = M old row} for every
 * context learned so far, and statistics that are sums of rows and of their outer products are carried over exactly
 * ({@code G -> M G M'}). A new field's old values were missing (its missing column equals the intercept on them); a
 * new category's indicator was 0. So learned statistics never need the trials again.
 *
 * <p><b>Missing fields.</b> A learned context that lacks a field contributes that field's missing indicator. At fit
 * time a missing numeric field is imputed with the field's mean features over the contexts that had it (a linear map
 * of the stored columns, so again exact): a trial or request without the field is predicted as the average over the
 * field's values seen so far. A missing categorical field is its own category. A request value outside the range
 * seen so far is clamped to it; a category never seen predicts like no category (all indicators 0).
 */
final class ContextFeatures {
  static final int MAX_CATEGORIES = 8;
  /** Budget of context columns (without the intercept). */
  static final int MAX_COLUMNS = 24;

  static final OptionSpec FIELDS = OptionSpec.of("contextFields", "array", null, "names of the request-context "
      + "fields to use (default: every field; numbers and booleans as numbers, strings as categories); [] ignores "
      + "the context");

  /** Options that meant something before the context was learned from the fields themselves. */
  static final Map<String, String> RETIRED = Map.of(
      "contextKey", "option 'contextKey' is no longer used: contextual designers use every field of the request "
          + "context (restrict them with 'contextFields', e.g. [\"shift\"])",
      "low", "option 'low' is no longer used: the context is scaled from the values seen (no range to set)",
      "high", "option 'high' is no longer used: the context is scaled from the values seen (no range to set)");

  private final Optional<Set<String>> only;
  private final int degree;
  private final int budget;

  /**
   * @param only the fields to use (empty: all)
   * @param degree largest Chebyshev degree of a numeric field (0: numeric fields contribute only their missing
   *     indicator)
   * @param budget most context columns, without the intercept
   */
  ContextFeatures(Optional<Set<String>> only, int degree, int budget) {
    this.only = only.map(Set::copyOf);
    this.degree = degree;
    this.budget = budget;
  }

  /** Parses {@code contextFields} (absent: all fields). */
  static Optional<Set<String>> parseFields(Options options) {
    Object v = options.raw().get("contextFields");
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof List<?> list)) {
      throw new ConfigException("contextFields", "option 'contextFields' must be an array of field names");
    }
    Set<String> out = new java.util.LinkedHashSet<>();
    for (Object o : list) {
      if (!(o instanceof String s) || s.isBlank()) {
        throw new ConfigException("contextFields", "option 'contextFields' must hold non-blank field names");
      }
      out.add(s);
    }
    if (out.size() > 64) {
      throw new ConfigException("contextFields", "option 'contextFields' may name at most 64 fields");
    }
    return Optional.of(Set.copyOf(out));
  }

  /**
   * The context-column budget for {@code arms} arms: per-arm statistics hold (C + 1)(C + 2) / 2 numbers per arm for
   * C columns, kept below about {@code maxNumbers} in all; at most {@link #MAX_COLUMNS}.
   */
  static int budgetFor(int arms, int maxNumbers) {
    int c = MAX_COLUMNS;
    while (c > 1 && (long) arms * (c + 1) * (c + 2) / 2 > maxNumbers) {
      c--;
    }
    return c;
  }

  boolean uses(String field) {
    return only.map(s -> s.contains(field)).orElse(true);
  }

  /** Whether the context can be used at all ({@code contextFields: []} turns it off). */
  boolean enabled() {
    return only.map(s -> !s.isEmpty()).orElse(true);
  }

  enum Kind { NUMBER, CATEGORY, DROPPED }

  /**
   * What is known about one field: its kind, for numbers the range seen and the distinct values while there are at
   * most 2 (empty: 3 or more), for strings the categories seen (sorted). Immutable.
   */
  record Field(String name, Kind kind, double lo, double hi, List<Double> values, List<String> categories) {
    Field {
      values = List.copyOf(values);
      categories = List.copyOf(categories);
    }

    /** Distinct values seen, capped at 3 (3 = three or more; {@code values} then is empty). */
    int distinct() {
      return values.isEmpty() ? 3 : values.size();
    }

    double centre() {
      return (lo + hi) / 2;
    }

    double halfWidth() {
      return (hi - lo) / 2;
    }

    /** The value mapped to [-1, 1] (clamped); 0 for a field with a single value seen. */
    double unit(double x) {
      double h = halfWidth();
      if (!(h > 0)) {
        return x == centre() ? 0 : Math.signum(x - centre());
      }
      return Math.max(-1, Math.min(1, (x - centre()) / h));
    }

    Field with(Object value) {
      if (kind == Kind.DROPPED) {
        return this;
      }
      Double x = number(value);
      if (x != null) {
        if (kind != Kind.NUMBER) {
          return dropped();
        }
        boolean many = values.isEmpty();
        if (x >= lo && x <= hi && (many || values.contains(x))) {
          return this;
        }
        List<Double> v = new ArrayList<>(values);
        if (!many && !v.contains(x)) {
          v.add(x);
          v.sort(null);
        }
        return new Field(name, kind, Math.min(lo, x), Math.max(hi, x), v.size() > 2 ? List.of() : v, categories);
      }
      if (value instanceof String s) {
        if (kind != Kind.CATEGORY) {
          return dropped();
        }
        if (categories.contains(s)) {
          return this;
        }
        if (categories.size() >= MAX_CATEGORIES) {
          return dropped();
        }
        TreeSet<String> c = new TreeSet<>(categories);
        c.add(s);
        return new Field(name, kind, lo, hi, values, List.copyOf(c));
      }
      return this;
    }

    private Field dropped() {
      return new Field(name, Kind.DROPPED, 0, 0, List.of(), List.of());
    }

    static Optional<Field> first(String name, Object value) {
      Double x = number(value);
      if (x != null) {
        return Optional.of(new Field(name, Kind.NUMBER, x, x, List.of(x), List.of()));
      }
      if (value instanceof String s) {
        return Optional.of(new Field(name, Kind.CATEGORY, 0, 0, List.of(), List.of(s)));
      }
      return Optional.empty();
    }

    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", name);
      m.put("kind", kind.name());
      if (kind == Kind.NUMBER) {
        m.put("lo", lo);
        m.put("hi", hi);
        m.put("values", values);
      } else if (kind == Kind.CATEGORY) {
        m.put("categories", categories);
      }
      return m;
    }

    static Field read(Map<?, ?> m) {
      Kind k = Kind.valueOf((String) m.get("kind"));
      String name = (String) m.get("name");
      return switch (k) {
        case NUMBER -> {
          List<Double> v = new ArrayList<>();
          for (Object o : (List<?>) m.get("values")) {
            v.add(BanditDesigner.num(o));
          }
          double lo = BanditDesigner.num(m.get("lo"));
          double hi = BanditDesigner.num(m.get("hi"));
          if (!(lo <= hi) || v.size() > 2) {
            throw new IllegalArgumentException("bad numeric field " + name);
          }
          yield new Field(name, k, lo, hi, v, List.of());
        }
        case CATEGORY -> {
          List<String> c = new ArrayList<>();
          for (Object o : (List<?>) m.get("categories")) {
            c.add((String) o);
          }
          yield new Field(name, k, 0, 0, List.of(), c);
        }
        case DROPPED -> new Field(name, k, 0, 0, List.of(), List.of());
      };
    }
  }

  /** A context value as a number (booleans 1 / 0), or null when it is not one. */
  static Double number(Object value) {
    if (value instanceof Boolean b) {
      return b ? 1.0 : 0.0;
    }
    if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
      return n.doubleValue();
    }
    return null;
  }

  /** The fields seen so far, by name. Immutable. */
  record Fields(TreeMap<String, Field> byName) {
    static final Fields NONE = new Fields(new TreeMap<>());

    Fields {
      byName = new TreeMap<>(byName);
    }

    List<Object> toJson() {
      List<Object> out = new ArrayList<>();
      byName.values().forEach(f -> out.add(f.toJson()));
      return out;
    }

    static Fields read(Object json) {
      TreeMap<String, Field> m = new TreeMap<>();
      for (Object o : (List<?>) json) {
        Field f = Field.read((Map<?, ?>) o);
        m.put(f.name(), f);
      }
      return new Fields(m);
    }
  }

  /** The fields after learning from context {@code ctx} (the same instance when nothing changed). */
  Fields observe(Fields fields, Map<?, ?> ctx) {
    TreeMap<String, Field> next = null;
    for (Map.Entry<?, ?> e : ctx.entrySet()) {
      if (!(e.getKey() instanceof String name) || !uses(name)) {
        continue;
      }
      Field old = fields.byName().get(name);
      Optional<Field> f = old == null ? Field.first(name, e.getValue()) : Optional.of(old.with(e.getValue()));
      if (f.isPresent() && !f.get().equals(old)) {
        if (next == null) {
          next = new TreeMap<>(fields.byName());
        }
        next.put(name, f.get());
      }
    }
    return next == null ? fields : new Fields(next);
  }

  /** One field's columns. {@code degree}: numeric fields' polynomial count; categories for categorical ones. */
  record Block(Field field, int start, int degree) {
    int width() {
      return field.kind() == Kind.NUMBER ? degree + 1 : field.categories().size() + 1;
    }

    /** Column of the missing indicator. */
    int missing() {
      return start + width() - 1;
    }
  }

  /** The columns for a set of fields: intercept, then the blocks in name order. */
  record Layout(List<Block> blocks, int size) {
    Layout {
      blocks = List.copyOf(blocks);
    }

    Optional<Block> block(String name) {
      return blocks.stream().filter(b -> b.field().name().equals(name)).findFirst();
    }

    /** Column names, a signature of the layout for checking cached statistics. */
    List<String> names() {
      List<String> out = new ArrayList<>(List.of("1"));
      for (Block b : blocks) {
        String n = b.field().name();
        if (b.field().kind() == Kind.NUMBER) {
          for (int j = 1; j <= b.degree(); j++) {
            out.add(n + ":T" + j);
          }
        } else {
          b.field().categories().forEach(c -> out.add(n + "=" + c));
        }
        out.add(n + ":missing");
      }
      return out;
    }
  }

  /** The numeric degree for k fields seen (see the class doc). */
  int degreeFor(int k) {
    if (degree == 0 || k == 0) {
      return degree;
    }
    return Math.max(1, Math.min(degree, Math.min(12 / k, budget / k - 1)));
  }

  Layout layout(Fields fields) {
    int k = fields.byName().size();
    int d = degreeFor(k);
    List<Block> blocks = new ArrayList<>();
    int col = 1;
    for (Field f : fields.byName().values()) {
      if (f.kind() == Kind.DROPPED) {
        continue;
      }
      Block b = new Block(f, col, f.kind() == Kind.NUMBER ? d : 0);
      if (col - 1 + b.width() > budget) {
        continue;
      }
      blocks.add(b);
      col += b.width();
    }
    return new Layout(blocks, col);
  }

  /**
   * The stored row of a learned context: intercept, each numeric field's T1..Td and missing indicator, each
   * categorical field's indicators. The context's values lie within the fields' ranges (it was observed).
   */
  static double[] row(Layout layout, Map<?, ?> ctx) {
    double[] r = new double[layout.size()];
    r[0] = 1;
    for (Block b : layout.blocks()) {
      Object v = ctx.get(b.field().name());
      if (b.field().kind() == Kind.NUMBER) {
        Double x = number(v);
        if (x == null) {
          r[b.missing()] = 1;
        } else {
          double[] t = ContextFeatures.chebyshev(b.field().unit(x), b.degree() + 1);
          System.arraycopy(t, 1, r, b.start(), b.degree());
        }
      } else {
        int i = v instanceof String s ? b.field().categories().indexOf(s) : -1;
        if (v == null) {
          r[b.missing()] = 1;
        } else if (i >= 0) {
          r[b.start() + i] = 1;
        }
      }
    }
    return r;
  }

  /**
   * M with {@code row(new layout, ctx) = M row(old layout, ctx)} for every context already learned under the old
   * layout (whose values lie in the old ranges), as a dense newSize x oldSize matrix (row-major).
   */
  static double[] transform(Layout from, Layout to) {
    int n = to.size();
    int o = from.size();
    double[] m = new double[n * o];
    m[0] = 1;
    for (Block b : to.blocks()) {
      Optional<Block> old = from.block(b.field().name());
      boolean same = old.isPresent() && old.get().field().kind() == b.field().kind();
      if (!same) {
        // a field not in the old layout: every learned context lacked it (missing = intercept, the rest 0)
        m[b.missing() * o] = 1;
        continue;
      }
      Block ob = old.get();
      m[b.missing() * o + ob.missing()] = 1;
      if (b.field().kind() == Kind.CATEGORY) {
        List<String> oc = ob.field().categories();
        for (int i = 0; i < b.field().categories().size(); i++) {
          int j = oc.indexOf(b.field().categories().get(i));
          if (j >= 0) {
            m[(b.start() + i) * o + ob.start() + j] = 1;
          }
        }
        continue;
      }
      if (b.degree() > ob.degree()) {
        throw new IllegalStateException("the degree of a field cannot grow");
      }
      // u_new = a u_old + c; T_j(u_new) = sum_k R[j][k] T_k(u_old); T_0(u_old) = 1 - missing on learned rows
      Field of = ob.field();
      Field nf = b.field();
      double a = 1;
      double c = 0;
      if (nf.halfWidth() > 0) {
        a = of.halfWidth() / nf.halfWidth();
        c = (of.centre() - nf.centre()) / nf.halfWidth();
      }
      double[][] r = rebase(a, c, b.degree());
      for (int j = 1; j <= b.degree(); j++) {
        int row = (b.start() + j - 1) * o;
        m[row] += r[j][0];
        m[row + ob.missing()] -= r[j][0];
        for (int k = 1; k <= j; k++) {
          m[row + ob.start() + k - 1] += r[j][k];
        }
      }
    }
    return m;
  }

  /** Chebyshev polynomials T0..T(count-1) at z in [-1, 1] (three-term recursion). */
  static double[] chebyshev(double z, int count) {
    double[] f = new double[count];
    f[0] = 1;
    if (count > 1) {
      f[1] = z;
    }
    for (int j = 2; j < count; j++) {
      f[j] = 2 * z * f[j - 1] - f[j - 2];
    }
    return f;
  }

  /**
   * The context of a contextual designer from its options: {@code contextFields} and {@code degree} (default
   * {@code degreeDefault}), with the column budget for the study's arms ({@link #budgetFor}) capped at
   * {@code maxColumns}.
   */
  static ContextFeatures parse(BanditSettings s, int degreeDefault, int maxColumns) {
    int degree = s.options().getInt("degree", degreeDefault, 0, 20);
    int budget = Math.max(1, Math.min(maxColumns, budgetFor(s.arms().size(), MAX_STATISTICS)));
    return new ContextFeatures(parseFields(s.options()), degree, budget);
  }

  /** Bound on the per-arm Gram entries kept in the designer state (arms x (C + 1)(C + 2) / 2). */
  static final int MAX_STATISTICS = 16_384;

  /** R with {@code T_j(a u + c) = sum_k R[j][k] T_k(u)}, j, k = 0..d (Chebyshev three-term recursion). */
  static double[][] rebase(double a, double c, int d) {
    double[][] r = new double[d + 1][d + 2];
    r[0][0] = 1;
    if (d >= 1) {
      r[1][0] = c;
      r[1][1] = a;
    }
    for (int j = 1; j < d; j++) {
      // T_{j+1}(v) = 2 v T_j(v) - T_{j-1}(v), v = a u + c; u T_0 = T_1, u T_k = (T_{k+1} + T_{k-1}) / 2
      double[] ut = new double[d + 2];
      for (int k = 0; k <= j; k++) {
        double x = r[j][k];
        if (k == 0) {
          ut[1] += x;
        } else {
          ut[k + 1] += x / 2;
          ut[k - 1] += x / 2;
        }
      }
      for (int k = 0; k <= j + 1; k++) {
        r[j + 1][k] = 2 * (a * ut[k] + c * r[j][k]) - r[j - 1][k];
      }
    }
    double[][] out = new double[d + 1][];
    for (int j = 0; j <= d; j++) {
      out[j] = java.util.Arrays.copyOf(r[j], d + 1);
    }
    return out;
  }
}
