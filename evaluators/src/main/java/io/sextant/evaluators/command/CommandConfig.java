package io.sextant.evaluators.command;

import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.designer.Options;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A validated configuration of the {@code command} evaluator.
 *
 * @param argv the program and its arguments; a config string {@code s} becomes {@code ["/bin/sh", "-c", s]}
 * @param workingDirectory where the program runs; empty: the attempt's work directory (which also holds the
 *     parameters file). A relative path is resolved against the executor's working directory.
 * @param env extra environment variables (on top of the executor's environment)
 * @param timeout the longest one run may take; empty: only the attempt's deadline applies
 * @param stderrTailBytes how many trailing bytes of standard error are kept for the failure reason
 * @param gpus how many GPUs a trial asks for; read by the executor node, which assigns the devices
 */
public record CommandConfig(
    List<String> argv, Optional<Path> workingDirectory, Map<String, String> env, Optional<Duration> timeout,
    int stderrTailBytes, int gpus) {
  public static final String COMMAND = "command";
  public static final String WORKING_DIRECTORY = "workingDirectory";
  public static final String ENV = "env";
  public static final String TIMEOUT_SECONDS = "timeoutSeconds";
  public static final String STDERR_TAIL_BYTES = "stderrTailBytes";
  public static final String GPUS = "gpus";
  public static final int DEFAULT_STDERR_TAIL_BYTES = 2000;
  public static final int MAX_STDERR_TAIL_BYTES = 1 << 20;
  public static final int MAX_GPUS = 1024;

  public CommandConfig {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
  }

  /**
   * Reads and validates a config map.
   *
   * @throws ConfigException naming the offending option
   */
  public static CommandConfig parse(Map<String, Object> config) {
    Options o = new Options(config).allowOnly(
        Set.of(COMMAND, WORKING_DIRECTORY, ENV, TIMEOUT_SECONDS, STDERR_TAIL_BYTES, GPUS));
    Map<String, Object> raw = o.raw();
    List<String> argv = argv(raw.get(COMMAND));
    Optional<Path> wd = Optional.empty();
    if (raw.containsKey(WORKING_DIRECTORY)) {
      String s = o.getString(WORKING_DIRECTORY, "", Set.of());
      if (s.isBlank()) {
        throw new ConfigException(WORKING_DIRECTORY, "option 'workingDirectory' must not be blank");
      }
      try {
        wd = Optional.of(Path.of(s));
      } catch (InvalidPathException e) {
        throw new ConfigException(WORKING_DIRECTORY, "option 'workingDirectory' is not a valid path: " + s);
      }
    }
    Map<String, String> env = env(raw.get(ENV));
    Optional<Duration> timeout = Optional.empty();
    if (raw.containsKey(TIMEOUT_SECONDS)) {
      double t = o.getDouble(TIMEOUT_SECONDS, 0);
      if (t <= 0 || t > 365 * 86_400) {
        throw new ConfigException(TIMEOUT_SECONDS, "option 'timeoutSeconds' must be > 0 and at most a year");
      }
      timeout = Optional.of(Duration.ofNanos(Math.round(t * 1e9)));
    }
    int tail = o.getInt(STDERR_TAIL_BYTES, DEFAULT_STDERR_TAIL_BYTES, 0, MAX_STDERR_TAIL_BYTES);
    int gpus = o.getInt(GPUS, 0, 0, MAX_GPUS);
    return new CommandConfig(argv, wd, env, timeout, tail, gpus);
  }

  private static List<String> argv(Object v) {
    if (v == null) {
      throw new ConfigException(COMMAND, "option 'command' is required: an argument list such as"
          + " [\"python3\", \"train.py\"] or a shell command line");
    }
    if (v instanceof String s) {
      if (s.isBlank()) {
        throw new ConfigException(COMMAND, "option 'command' must not be blank");
      }
      return List.of("/bin/sh", "-c", s);
    }
    if (v instanceof List<?> l) {
      if (l.isEmpty()) {
        throw new ConfigException(COMMAND, "option 'command' must name a program");
      }
      List<String> out = new ArrayList<>();
      for (int i = 0; i < l.size(); i++) {
        if (!(l.get(i) instanceof String s) || s.indexOf('\0') >= 0) {
          throw new ConfigException(COMMAND + "[" + i + "]", "option 'command' must be a list of strings");
        }
        out.add(s);
      }
      if (out.getFirst().isBlank()) {
        throw new ConfigException(COMMAND + "[0]", "the program name must not be blank");
      }
      return out;
    }
    throw new ConfigException(COMMAND, "option 'command' must be a list of strings or a string");
  }

  private static Map<String, String> env(Object v) {
    if (v == null) {
      return Map.of();
    }
    if (!(v instanceof Map<?, ?> m)) {
      throw new ConfigException(ENV, "option 'env' must be an object of names to strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (var e : m.entrySet()) {
      String name = String.valueOf(e.getKey());
      String at = ENV + "." + name;
      if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
        throw new ConfigException(at, "'" + name + "' is not a valid environment variable name");
      }
      if (name.toUpperCase(Locale.ROOT).startsWith("SEXTANT_") || name.equals("CUDA_VISIBLE_DEVICES")) {
        throw new ConfigException(at, "environment variable '" + name + "' is set by the executor");
      }
      Object x = e.getValue();
      if (!(x instanceof String || x instanceof Number || x instanceof Boolean) || String.valueOf(x).indexOf('\0') >= 0) {
        throw new ConfigException(at, "environment variable values must be strings, numbers or booleans");
      }
      out.put(name, String.valueOf(x));
    }
    return out;
  }
}
