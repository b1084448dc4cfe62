package io.sextant.evaluators.executor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command line of {@code --flag value} / {@code --flag=value} options and {@code --switch}es, as the executor
 * ({@link ExecutorOptions}) and {@code ./sextant slurm} take them: each value flag at most once (unless it is
 * repeatable, whose values are kept in order), a value never starting with {@code --}, {@code -h}/{@code --help}
 * anywhere. With {@code restAfterDoubleDash}, what follows {@code --} is left unparsed ({@link #rest()}).
 *
 * @param values the value of each value flag given
 * @param repeated the values of each repeatable flag, in order
 * @param switches the switches given
 * @param help whether {@code -h} or {@code --help} came (parsing stops there)
 * @param rest what followed {@code --}
 */
public record Flags(Map<String, String> values, Map<String, List<String>> repeated, Set<String> switches,
    boolean help, List<String> rest) {

  /**
   * @param valueFlags flags that take a value (the repeatable ones included)
   * @param unknownHint appended to the message about an unknown option (e.g. where it belongs instead)
   * @throws UsageException naming the option that is wrong
   */
  public static Flags parse(List<String> args, Set<String> valueFlags, Set<String> repeatable, Set<String> switches,
      boolean restAfterDoubleDash, String unknownHint) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, List<String>> repeated = new LinkedHashMap<>();
    Set<String> on = new HashSet<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("-h") || arg.equals("--help")) {
        return new Flags(values, repeated, on, true, List.of());
      }
      if (restAfterDoubleDash && arg.equals("--")) {
        return new Flags(values, repeated, on, false, List.copyOf(args.subList(i + 1, args.size())));
      }
      if (!arg.startsWith("--")) {
        throw new UsageException("unexpected argument '" + arg + "'");
      }
      if (switches.contains(arg)) {
        on.add(arg);
        continue;
      }
      String flag = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        flag = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (!valueFlags.contains(flag)) {
        throw new UsageException("unknown option '" + flag + "'" + unknownHint);
      }
      if (value == null) {
        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
          throw new UsageException("option '" + flag + "' needs a value");
        }
        value = args.get(++i);
      }
      if (repeatable.contains(flag)) {
        repeated.computeIfAbsent(flag, k -> new ArrayList<>()).add(value);
      } else if (values.put(flag, value) != null) {
        throw new UsageException("option '" + flag + "' given twice");
      }
    }
    return new Flags(values, repeated, on, false, List.of());
  }

  /** The values of a repeatable flag, in order; empty when it was not given. */
  public List<String> all(String flag) {
    return repeated.getOrDefault(flag, List.of());
  }
}
