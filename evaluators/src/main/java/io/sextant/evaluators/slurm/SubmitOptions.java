package io.sextant.evaluators.slurm;

import io.sextant.evaluators.executor.ExecutorOptions;
import io.sextant.evaluators.executor.Flags;
import io.sextant.evaluators.executor.UsageException;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line of {@code ./sextant slurm submit}, parsed and checked ({@link #parse}).
 *
 * @param server the search-api base URL the executors connect to
 * @param tokenFile the file holding the executors' API token (absolute); read on the node when a task starts
 * @param tasks array tasks (executors)
 * @param slots trials at once per task; also its {@code --cpus-per-task}. Empty: the task's allocated CPUs
 * @param partition the Slurm partition; empty: the cluster's default
 * @param gpusPerTask GPUs per task ({@code --gres=gpu:G}); 0: none, and the executor offers none
 * @param time the time limit as given ({@code HH:MM:SS} or {@code D-HH:MM:SS}); empty: the partition's default
 * @param labels the user's labels, beside {@code slurm.job}, {@code slurm.task}, {@code slurm.node}
 * @param idleExit the executors' {@code --idle-exit}
 * @param dryRun print the script instead of submitting it
 * @param executorArgs executor flags after {@code --} (e.g. {@code --allow-commands --lease-seconds 10})
 * @param drainGrace the executors' drain grace ({@code --drain-seconds} among executorArgs, else the default)
 */
public record SubmitOptions(
    URI server, Path tokenFile, int tasks, OptionalInt slots, Optional<String> partition, int gpusPerTask,
    Optional<String> time, Map<String, String> labels, Optional<Duration> idleExit, boolean dryRun,
    List<String> executorArgs, Duration drainGrace) {

  /** What {@code --signal} leaves after the drain grace: stopping the lease poll, reporting, deregistering, exit. */
  static final Duration SIGNAL_MARGIN = Duration.ofSeconds(20);
  /** Label keys the script sets itself. */
  static final String LABEL_PREFIX = "slurm.";

  public SubmitOptions {
    labels = Map.copyOf(labels);
    executorArgs = List.copyOf(executorArgs);
  }

  public static final String USAGE = """
      Usage: ./sextant slurm submit --server URL --token-file FILE --tasks N [options] [-- EXECUTOR-FLAGS...]
             ./sextant slurm status JOB [--server URL] [--token-file FILE]

      submit: writes an sbatch script and submits a job array of N executor tasks; prints the job id.
        --server URL           search-api base URL as the compute nodes reach it [required]
        --token-file FILE      file holding an EXECUTOR (or ADMIN) token; the task reads it on the node into
                               SEXTANT_TOKEN, so it must be on a filesystem the nodes share [required]
        --tasks N              array tasks, one executor each [required]
        --slots S              trials at once per task, and its --cpus-per-task (default: the task's CPUs)
        --partition P          Slurm partition (default: the cluster's default)
        --gpus-per-task G      GPUs per task (--gres=gpu:G); the executor offers exactly those
        --time HH:MM:SS        time limit (also D-HH:MM:SS); the executor gets SIGTERM before it and drains
        --labels k=v,...       executor labels beside slurm.job, slurm.task, slurm.node
        --idle-exit SECONDS    a task ends once its executor has found no work for that long
        --dry-run              print the script, submit nothing
        -- FLAGS...            further executor flags: --allow-commands, --lease-seconds, --poll-seconds,
                               --drain-seconds, --trial-timeout-seconds, --work-dir
      status: the array's tasks (Slurm state, node, run time) with their executors (state, slots, running,
        completed trials, failed attempts). Server and token file default to those the job was submitted with;
        the token must be able to read executors (ADMIN, MEMBER or VIEWER; env SEXTANT_TOKEN also works).

      Environment: SLURM_CONF and SBATCH_* (account, qos, memory ...) as for sbatch;
        SEXTANT_EXECUTOR_JAVA_OPTS: JVM options for the executors (read on the node).
      """;

  private static final Set<String> VALUE_FLAGS = Set.of("--server", "--token-file", "--tasks", "--slots",
      "--partition", "--gpus-per-task", "--time", "--labels", "--idle-exit");
  /** Executor flags this command sets itself, with what to use instead. */
  private static final Map<String, String> RESERVED = Map.of(
      "--server", "use submit's --server",
      "--token", "the token comes from --token-file, never from a command line",
      "--slots", "use submit's --slots",
      "--gpus", "use submit's --gpus-per-task",
      "--labels", "use submit's --labels",
      "--name", "the script names each executor slurm-JOB_TASK",
      "--idle-exit", "use submit's --idle-exit");
  private static final Pattern TIME = Pattern.compile("(?:(\\d+)-)?(\\d{1,2}):(\\d{2}):(\\d{2})");
  private static final Pattern PARTITION = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

  /**
   * Parses submit's arguments (after {@code submit}).
   *
   * @param env the environment: SEXTANT_SERVER stands in for a missing --server
   * @throws UsageException naming the option that is wrong
   */
  public static SubmitOptions parse(List<String> args, Map<String, String> env) {
    Flags flags = Flags.parse(args, VALUE_FLAGS, Set.of("--labels"), Set.of("--dry-run"), true,
        " (executor flags go after --)");
    if (flags.help()) {
      throw new UsageException("--help: see the usage below");
    }
    Map<String, String> values = flags.values();
    Map<String, String> labels = new LinkedHashMap<>();
    flags.all("--labels").forEach(l -> labels.putAll(labels(l)));
    List<String> executorArgs = flags.rest();
    boolean dryRun = flags.switches().contains("--dry-run");
    String serverText = Optional.ofNullable(values.get("--server"))
        .or(() -> Optional.ofNullable(env.get("SEXTANT_SERVER")).filter(s -> !s.isBlank()))
        .orElseThrow(() -> new UsageException("--server URL is required"));
    URI server = server(serverText);
    String tokenText = Optional.ofNullable(values.get("--token-file"))
        .orElseThrow(() -> new UsageException("--token-file FILE is required (the executors' token)"));
    Path tokenFile;
    try {
      tokenFile = Path.of(tokenText).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new UsageException("--token-file: not a path: " + tokenText);
    }
    int tasks = count("--tasks", Optional.ofNullable(values.get("--tasks"))
        .orElseThrow(() -> new UsageException("--tasks N is required")), 1, 100_000);
    OptionalInt slots = values.containsKey("--slots")
        ? OptionalInt.of(count("--slots", values.get("--slots"), 1, 4096)) : OptionalInt.empty();
    Optional<String> partition = Optional.ofNullable(values.get("--partition")).map(p -> {
      if (!PARTITION.matcher(p).matches()) {
        throw new UsageException("--partition must be a Slurm partition name (letters, digits, _ . -), got '" + p
            + "'");
      }
      return p;
    });
    int gpus = values.containsKey("--gpus-per-task") ? count("--gpus-per-task", values.get("--gpus-per-task"), 0, 64)
        : 0;
    Optional<String> time = Optional.ofNullable(values.get("--time"));
    time.ifPresent(SubmitOptions::timeLimit);
    Optional<Duration> idleExit = Optional.ofNullable(values.get("--idle-exit")).map(SubmitOptions::idleExit);

    for (String a : executorArgs) {
      String flag = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      if (RESERVED.containsKey(flag)) {
        throw new UsageException("executor flag " + flag + " after --: " + RESERVED.get(flag));
      }
    }
    // the executor's own parser judges the flags after -- (as the node will run them)
    List<String> probe = new ArrayList<>(List.of("--server", server.toString()));
    probe.addAll(executorArgs);
    ExecutorOptions executor;
    try {
      executor = ExecutorOptions.parse(probe, Map.of()).orElseThrow(
          () -> new UsageException("--help is not an executor flag for a Slurm task"));
    } catch (UsageException e) {
      throw new UsageException("executor flags after --: " + e.getMessage());
    }
    SubmitOptions o = new SubmitOptions(server, tokenFile, tasks, slots, partition, gpus, time, labels, idleExit,
        dryRun, executorArgs, executor.drainGrace());
    o.timeLimit().ifPresent(limit -> {
      if (limit.compareTo(o.signalLead()) <= 0) {
        throw new UsageException("--time " + o.time().orElseThrow() + " leaves no time to drain: the executor gets"
            + " SIGTERM " + o.signalLead().toSeconds() + " s before the limit (--drain-seconds "
            + o.drainGrace().toSeconds() + " + " + SIGNAL_MARGIN.toSeconds() + " s); give a longer --time or a"
            + " smaller --drain-seconds after --");
      }
    });
    return o;
  }

  /** How long before the time limit Slurm signals the task: the drain grace plus {@link #SIGNAL_MARGIN}. */
  public Duration signalLead() {
    return Duration.ofSeconds((long) Math.ceil(drainGrace.toMillis() / 1000.0)).plus(SIGNAL_MARGIN);
  }

  /** The time limit as Slurm applies it (rounded up to whole minutes); empty without --time. */
  public Optional<Duration> timeLimit() {
    return time.map(SubmitOptions::timeLimit);
  }

  static Duration timeLimit(String s) {
    Matcher m = TIME.matcher(s.strip());
    if (!m.matches()) {
      throw new UsageException("--time must be HH:MM:SS or D-HH:MM:SS (got '" + s + "')");
    }
    long days = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
    long h = Long.parseLong(m.group(2));
    long min = Long.parseLong(m.group(3));
    long sec = Long.parseLong(m.group(4));
    if (min > 59 || sec > 59 || (m.group(1) != null && h > 23) || days > 365) {
      throw new UsageException("--time must be HH:MM:SS or D-HH:MM:SS (got '" + s + "')");
    }
    long total = ((days * 24 + h) * 60 + min) * 60 + sec;
    if (total == 0) {
      throw new UsageException("--time must be longer than 0 (got '" + s + "')");
    }
    return Duration.ofMinutes((total + 59) / 60); // Slurm counts time limits in whole minutes
  }

  private static Duration idleExit(String s) {
    try {
      double d = Double.parseDouble(s.strip());
      if (Double.isFinite(d) && d > 0 && d <= 365 * 86_400) {
        return Duration.ofMillis(Math.round(d * 1000));
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new UsageException("--idle-exit must be a number of seconds > 0 (got '" + s + "')");
  }

  static URI server(String s) {
    return ExecutorOptions.server(s);
  }

  private static int count(String flag, String s, int min, int max) {
    try {
      int n = Integer.parseInt(s.strip());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new UsageException(flag + " must be a whole number from " + min + " to " + max + " (got '" + s + "')");
  }

  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_./-]{1,100}");
  private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9_./:@+-]{0,200}");

  /** k=v,... with plain keys and values (they travel through a shell script); slurm.* keys are the script's. */
  static Map<String, String> labels(String s) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : s.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      String k = eq <= 0 ? "" : part.substring(0, eq).strip();
      String v = eq <= 0 ? "" : part.substring(eq + 1).strip();
      if (!LABEL.matcher(k).matches() || !LABEL_VALUE.matcher(v).matches()) {
        throw new UsageException("--labels must be key=value pairs separated by commas, of letters, digits and"
            + " _ . / - (values also : @ +), got '" + s + "'");
      }
      if (k.startsWith(LABEL_PREFIX)) {
        throw new UsageException("--labels: " + k + " is set by the script (slurm.job, slurm.task, slurm.node)");
      }
      out.put(k, v);
    }
    return out;
  }
}
