package io.sextant.evaluators.command;

import io.sextant.evaluators.json.Json;
import io.sextant.evaluators.spi.EvaluationContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/** One run of a command for one trial attempt. Not reusable. */
final class CommandRun {
  private static final System.Logger LOG = System.getLogger(CommandRun.class.getName());
  static final String PARAMS_FILE_NAME = "params.json";
  /** The failure reason's budget: the one limit on failure reasons, so no further cut is needed. */
  static final int MAX_REASON = io.sextant.evaluators.executor.FailureReason.MAX_LENGTH;
  private static final int MAX_LINE = 1 << 20;
  private static final int STDOUT_TAIL_LINES = 20;
  private static final long POLL_MS = 50;
  private static final long TRACK_EVERY_MS = 250;
  private static final Duration KILL_WAIT = Duration.ofSeconds(5);
  private static final Duration DRAIN_WAIT = Duration.ofSeconds(5);

  private final CommandConfig config;
  private final Map<String, Object> params;
  private final EvaluationContext context;
  private final AtomicBoolean stopAsked = new AtomicBoolean();
  private final AtomicReference<Map<String, Double>> finalValues = new AtomicReference<>();
  private final AtomicReference<String> protocolError = new AtomicReference<>();
  private final Deque<String> stdoutTail = new ArrayDeque<>();
  private final TailBuffer stderr;

  CommandRun(CommandConfig config, Map<String, Object> params, EvaluationContext context) {
    this.config = config;
    this.params = params;
    this.context = context;
    this.stderr = new TailBuffer(config.stderrTailBytes());
  }

  Map<String, Double> run() throws Exception {
    Path work = context.workDirectory();
    Path paramsFile = work.resolve(PARAMS_FILE_NAME);
    Files.writeString(paramsFile, Json.write(paramsJson(params)), StandardCharsets.UTF_8);
    ProcessBuilder pb = new ProcessBuilder(config.argv());
    pb.directory(config.workingDirectory().map(Path::toAbsolutePath).orElse(work).toFile());
    pb.environment().clear(); // a clean environment: never the executor's secrets (tokens, database credentials)
    pb.environment().putAll(inherited(System.getenv()));
    pb.environment().putAll(environment(config, params, context, paramsFile, work));
    Instant started = Instant.now();
    Instant deadline = config.timeout().map(started::plus)
        .filter(d -> d.isBefore(context.deadline())).orElse(context.deadline());
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new IOException("could not start " + config.argv().getFirst() + ": " + e.getMessage(), e);
    }
    process.getOutputStream().close(); // no input: a program that reads stdin sees end of file
    ProcessTree tree = new ProcessTree(process.toHandle());
    Thread out = Thread.ofVirtual().name("command-stdout-" + process.pid())
        .start(() -> readStdout(process.getInputStream()));
    Thread err = Thread.ofVirtual().name("command-stderr-" + process.pid())
        .start(() -> readStderr(process.getErrorStream()));
    String killedFor = null;
    try {
      long lastTrack = 0;
      while (true) {
        if (process.waitFor(POLL_MS, TimeUnit.MILLISECONDS)) {
          break;
        }
        long now = System.nanoTime();
        if (now - lastTrack >= TRACK_EVERY_MS * 1_000_000L) {
          tree.track();
          lastTrack = now;
        }
        if (stopAsked.get() || context.stopRequested()) {
          killedFor = "stop";
        } else if (protocolError.get() != null) {
          killedFor = "protocol";
        } else if (!Instant.now().isBefore(deadline)) {
          killedFor = "timeout";
        }
        if (killedFor != null) {
          tree.kill(KILL_WAIT);
          break;
        }
      }
    } catch (InterruptedException e) {
      tree.kill(KILL_WAIT);
      drain(out, err);
      throw e;
    }
    int leftovers = tree.killLeftovers();
    if (leftovers > 0) {
      LOG.log(Level.DEBUG, "killed {0} process(es) that trial {1} left behind", leftovers, context.trialNumber());
    }
    drain(out, err);
    if (killedFor == null && (stopAsked.get() || context.stopRequested())) {
      killedFor = "stop";
    }
    if ("stop".equals(killedFor)) {
      throw new CancellationException("command stopped on request");
    }
    if (protocolError.get() != null) {
      throw new IllegalStateException(reason(protocolError.get()));
    }
    if ("timeout".equals(killedFor)) {
      Duration took = Duration.between(started, Instant.now());
      throw new TimeoutException(reason(String.format(Locale.ROOT, "command timed out after %.1f s and was killed",
          took.toMillis() / 1000.0)));
    }
    int status = process.exitValue();
    if (status != 0) {
      throw new IllegalStateException(reason("command exited with status " + status));
    }
    Map<String, Double> result = finalValues.get();
    if (result == null) {
      throw new IllegalStateException(reason(
          "command exited with status 0 but printed no final {\"values\": {...}} line"));
    }
    return result;
  }

  /** Waits a little for the output readers; a stream held open by an escaped process is abandoned. */
  private static void drain(Thread out, Thread err) {
    try {
      out.join(DRAIN_WAIT);
      err.join(DRAIN_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A failure reason: the headline, then the stderr tail (or, when stderr was empty, the last free-text lines). */
  private String reason(String headline) {
    String tail = stderr.text().strip();
    String label = "stderr";
    if (tail.isEmpty()) {
      synchronized (stdoutTail) {
        tail = String.join("\n", stdoutTail).strip();
      }
      label = "stdout";
    }
    if (tail.isEmpty()) {
      return headline;
    }
    String head = headline + "; " + label + " tail:\n";
    int room = Math.max(0, MAX_REASON - head.length());
    if (tail.length() > room) {
      tail = "..." + tail.substring(tail.length() - Math.max(0, room - 3));
    }
    LOG.log(Level.DEBUG, "trial {0}: {1}", context.trialNumber(), headline);
    return head + tail;
  }

  private void readStdout(InputStream in) {
    try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      StringBuilder line = new StringBuilder();
      boolean overflow = false;
      int c;
      while ((c = r.read()) != -1) {
        if (c == '\n') {
          handle(line.toString(), overflow);
          line.setLength(0);
          overflow = false;
        } else if (line.length() < MAX_LINE) {
          line.append((char) c);
        } else {
          overflow = true;
        }
      }
      if (!line.isEmpty()) {
        handle(line.toString(), overflow);
      }
    } catch (IOException e) {
      // the stream was closed under us (the process was killed): nothing more to read
    }
  }

  private void handle(String raw, boolean overflow) {
    String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
    OutputLine parsed = overflow ? new OutputLine.Text(line + "...") : OutputLine.parse(line);
    switch (parsed) {
      case OutputLine.Intermediate m -> {
        if (!stopAsked.get() && protocolError.get() == null && context.report(m.step(), m.values())) {
          stopAsked.set(true);
        }
      }
      case OutputLine.Final f -> finalValues.set(f.values());
      case OutputLine.Invalid bad -> protocolError.compareAndSet(null, bad.problem());
      case OutputLine.Text t -> {
        synchronized (stdoutTail) {
          stdoutTail.addLast(t.line().length() <= 1000 ? t.line() : t.line().substring(0, 997) + "...");
          while (stdoutTail.size() > STDOUT_TAIL_LINES) {
            stdoutTail.removeFirst();
          }
        }
      }
    }
  }

  private void readStderr(InputStream in) {
    byte[] buf = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buf)) != -1) {
        stderr.write(buf, 0, n);
      }
    } catch (IOException e) {
      // closed: the process is gone
    }
  }

  /** The parameters as JSON values (non-finite numbers as "Infinity", "-Infinity", "NaN"). */
  static Map<String, Object> paramsJson(Map<String, Object> params) {
    Map<String, Object> out = new LinkedHashMap<>();
    params.forEach((k, v) -> out.put(k, v instanceof Double d ? Json.encode(d) : v instanceof Float f
        ? Json.encode(f) : v));
    return out;
  }

  /**
   * What a command inherits of the executor's own environment: only the variables a program needs to run (paths,
   * locale, time zone, temporary directories, library and interpreter locations) and the names the operator lists
   * in {@code SEXTANT_PASS_ENV} (comma-separated); never anything else, so the executor's or the server's secrets
   * (admin and executor tokens, database credentials, cloud keys) do not reach a study's program.
   */
  static Map<String, String> inherited(Map<String, String> executorEnv) {
    java.util.Set<String> pass = new java.util.HashSet<>(INHERITED);
    String extra = executorEnv.getOrDefault("SEXTANT_PASS_ENV", "");
    for (String n : extra.split(",")) {
      if (!n.isBlank()) {
        pass.add(n.strip());
      }
    }
    Map<String, String> out = new java.util.TreeMap<>();
    executorEnv.forEach((k, v) -> {
      if (pass.contains(k) || k.startsWith("LC_")) {
        out.put(k, v);
      }
    });
    return out;
  }

  /** The executor's variables a command inherits by default ({@link #inherited}). */
  static final java.util.Set<String> INHERITED = java.util.Set.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG",
      "LANGUAGE", "TZ", "TMPDIR", "TEMP", "TMP", "TERM", "LD_LIBRARY_PATH", "PYTHONPATH", "VIRTUAL_ENV",
      "CONDA_PREFIX", "CUDA_HOME", "CUDA_PATH", "JAVA_HOME");

  /** The variables the executor sets for a run (on top of what it inherits, {@link #inherited}). */
  static Map<String, String> environment(
      CommandConfig config, Map<String, Object> params, EvaluationContext context, Path paramsFile, Path work) {
    Map<String, String> env = new LinkedHashMap<>(config.env());
    env.put("SEXTANT_PARAMS_FILE", paramsFile.toAbsolutePath().toString());
    env.put("SEXTANT_WORK_DIR", work.toAbsolutePath().toString());
    env.put("SEXTANT_TRIAL_NUMBER", Long.toString(context.trialNumber()));
    env.put("SEXTANT_OBJECTIVES", String.join(",", context.objectiveMetrics()));
    env.put("SEXTANT_DEADLINE", context.deadline().toString());
    env.put("CUDA_VISIBLE_DEVICES", context.gpus().stream().map(String::valueOf).collect(Collectors.joining(",")));
    env.putAll(paramVariables(params));
    return env;
  }

  /**
   * {@code SEXTANT_PARAM_<NAME>} for each parameter: the name upper-cased with every character other than A-Z, 0-9
   * and _ replaced by _. Parameters whose names map to the same variable get none (the params file has them all).
   * Values: strings as they are, booleans {@code true}/{@code false}, integers in decimal, other numbers as Java's
   * {@link Double#toString(double)} (e.g. {@code 0.001}, {@code 1.0E-5}; both parse with Python's float()).
   */
  static Map<String, String> paramVariables(Map<String, Object> params) {
    Map<String, List<String>> byVar = new TreeMap<>();
    for (String name : params.keySet()) {
      byVar.computeIfAbsent(variable(name), k -> new ArrayList<>()).add(name);
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (var e : byVar.entrySet()) {
      if (e.getValue().size() != 1) {
        LOG.log(Level.DEBUG, "parameters {0} share the variable {1}: none is set", e.getValue(), e.getKey());
        continue;
      }
      Object v = params.get(e.getValue().getFirst());
      if (v != null) {
        out.put(e.getKey(), format(v));
      }
    }
    return out;
  }

  static String variable(String name) {
    StringBuilder b = new StringBuilder("SEXTANT_PARAM_");
    for (char ch : name.toUpperCase(Locale.ROOT).toCharArray()) {
      b.append(ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_' ? ch : '_');
    }
    return b.toString();
  }

  private static String format(Object v) {
    if (v instanceof Double d) {
      return Json.encode(d).toString();
    }
    return String.valueOf(v);
  }
}
