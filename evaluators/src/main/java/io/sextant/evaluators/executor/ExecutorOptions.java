package io.sextant.evaluators.executor;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * The executor's command line, parsed ({@link #parse}). Unset values stay empty; {@link ExecutorMain} fills in the
 * machine's defaults (slots: CPU cores, name: host name, work directory: a temp directory).
 *
 * @param server the search-api base URL
 * @param token bearer token; {@code --token}, else the SEXTANT_TOKEN environment variable
 * @param slots trials run at once
 * @param gpus which GPUs to offer
 * @param labels labels the server may match trials against
 * @param leaseDuration the server's lease length, used only to pace heartbeats (every third of it); the server
 *     alone decides how long a lease lasts
 * @param name the executor's display name
 * @param workDir where attempts get their scratch directories
 * @param drainGrace how long a SIGTERM lets running trials finish before they are stopped and handed back
 * @param pollWait how long one lease request long-polls
 * @param trialTimeout the longest one attempt may run on this node
 * @param allowCommands whether this node runs programs a study names ({@code --allow-commands}; off by default): it
 *     then offers evaluators such as {@code command}, which run as the executor's user
 * @param idleExit when present ({@code --idle-exit}), the node drains and exits once it has run nothing and found
 *     no work for this long (see {@link ExecutorSettings#idleExit()})
 * @param pool the executor pool the node serves ({@code --pool}): it then runs only trials of studies whose
 *     {@code resources.pool} names it; empty: the default pool (studies without one)
 */
public record ExecutorOptions(
    URI server, Optional<String> token, OptionalInt slots, GpuSelection gpus, Map<String, String> labels,
    Duration leaseDuration, Optional<String> name, Optional<Path> workDir, Duration drainGrace, Duration pollWait,
    Duration trialTimeout, boolean allowCommands, Optional<Duration> idleExit, Optional<String> pool) {
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
  public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(30);
  public static final Duration DEFAULT_POLL = Duration.ofSeconds(20);

  public ExecutorOptions {
    labels = Map.copyOf(labels);
  }

  /** The usage text printed by {@code --help} and after a bad command line. */
  public static final String USAGE = """
      Usage: java -jar sextant-executor.jar --server URL [options]

      Runs trials of a Sextant server: registers, long-polls for leases, evaluates up to --slots trials at once,
      heartbeats, reports measurements and results. SIGTERM drains: running trials get --drain-seconds to finish,
      the rest are stopped and handed back.

        --server URL              search-api base URL, e.g. http://localhost:8080 (or env SEXTANT_SERVER) [required]
        --token T                 bearer token for the API (or env SEXTANT_TOKEN)
        --slots N                 trials at once (default: number of CPU cores)
        --gpus auto|none|0,1      GPUs to offer: auto = what nvidia-smi reports (none without it), none, or
                                  a list of device indices (default: auto)
        --labels k=v,...          labels the server may match trials against (repeatable)
        --pool NAME               serve only the studies of this executor pool (their resources.pool); without
                                  it, only studies that name no pool (default: none)
        --name NAME               display name (default: host name)
        --work-dir DIR            scratch directories of attempts (default: <tmp>/sextant-executor)
        --lease-seconds S         the server's lease length; heartbeats go every S/3 (default: 30)
        --drain-seconds S         on SIGTERM, how long running trials may finish (default: 30)
        --poll-seconds S          how long one lease request waits for work (default: 20)
        --trial-timeout-seconds S longest one attempt may run (default: 86400)
        --idle-exit S             drain and exit (status 0) once nothing has run and no lease request has found
                                  work for S seconds, e.g. when a study is done (default: never)
        --allow-commands          offer evaluators that run programs a study names (the command evaluator), as
                                  this process's user, with a clean environment (PATH, HOME, LANG, TMPDIR ... and
                                  the names in SEXTANT_PASS_ENV); off by default. The server hands such studies
                                  only to users an admin granted the command capability.
        -h, --help                this text

      Custom evaluators: put their jars on the class path, e.g.
        java -cp sextant-executor.jar:my-evaluator.jar io.sextant.evaluators.executor.ExecutorMain --server URL
      """;

  /**
   * Parses a command line ({@code --flag value} or {@code --flag=value}). Returns empty for {@code --help}.
   *
   * @param env the environment (SEXTANT_SERVER, SEXTANT_TOKEN fill in missing --server / --token)
   * @throws UsageException naming the flag that is wrong
   */
  public static Optional<ExecutorOptions> parse(List<String> args, Map<String, String> env) {
    Flags flags = Flags.parse(args, FLAGS, java.util.Set.of("--labels"), java.util.Set.of("--allow-commands"), false,
        "");
    if (flags.help()) {
      return Optional.empty();
    }
    Map<String, String> values = flags.values();
    Map<String, String> labels = new LinkedHashMap<>();
    flags.all("--labels").forEach(l -> labels.putAll(labels(l)));
    boolean allowCommands = flags.switches().contains("--allow-commands");
    String serverText = Optional.ofNullable(values.get("--server"))
        .or(() -> Optional.ofNullable(env.get("SEXTANT_SERVER")).filter(s -> !s.isBlank()))
        .orElseThrow(() -> new UsageException("--server URL is required"));
    URI server = server(serverText);
    Optional<String> token = Optional.ofNullable(values.get("--token"))
        .or(() -> Optional.ofNullable(env.get("SEXTANT_TOKEN")))
        .filter(t -> !t.isBlank());
    OptionalInt slots = OptionalInt.empty();
    if (values.containsKey("--slots")) {
      slots = OptionalInt.of(positiveInt("--slots", values.get("--slots")));
    }
    GpuSelection gpus = gpus(values.getOrDefault("--gpus", "auto"));
    Optional<String> name = Optional.ofNullable(values.get("--name"));
    if (name.isPresent() && name.get().isBlank()) {
      throw new UsageException("--name must not be blank");
    }
    Optional<Path> workDir = Optional.ofNullable(values.get("--work-dir")).map(s -> {
      if (s.isBlank()) {
        throw new UsageException("--work-dir must not be blank");
      }
      try {
        return Path.of(s);
      } catch (java.nio.file.InvalidPathException e) {
        throw new UsageException("--work-dir: not a path: " + s);
      }
    });
    Duration lease = seconds("--lease-seconds", values, DEFAULT_LEASE, false);
    Duration drain = seconds("--drain-seconds", values, DEFAULT_DRAIN, true);
    Duration poll = seconds("--poll-seconds", values, DEFAULT_POLL, false);
    Duration trial = seconds("--trial-timeout-seconds", values, ExecutorSettings.DEFAULT_TRIAL_TIMEOUT, false);
    Optional<Duration> idleExit = values.containsKey("--idle-exit")
        ? Optional.of(seconds("--idle-exit", values, Duration.ZERO, false)) : Optional.empty();
    Optional<String> pool = Optional.ofNullable(values.get("--pool")).map(p -> {
      if (!ExecutorInfo.isPoolName(p)) {
        throw new UsageException("--pool " + ExecutorInfo.POOL_RULE + " (got '" + p + "')");
      }
      return p;
    });
    return Optional.of(new ExecutorOptions(server, token, slots, gpus, labels, lease, name, workDir, drain, poll,
        trial, allowCommands, idleExit, pool));
  }

  /**
   * A search-api base URL: http or https with a host.
   *
   * @throws UsageException saying what is wrong with it
   */
  public static URI server(String s) {
    URI u;
    try {
      u = URI.create(s);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--server: not a URL: " + s);
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
      throw new UsageException("--server must be an http:// or https:// URL (got " + s + ")");
    }
    return u;
  }

  private static final java.util.Set<String> FLAGS = java.util.Set.of("--server", "--token", "--slots", "--gpus",
      "--labels", "--name", "--work-dir", "--lease-seconds", "--drain-seconds", "--poll-seconds",
      "--trial-timeout-seconds", "--idle-exit", "--pool");

  private static int positiveInt(String flag, String s) {
    try {
      int n = Integer.parseInt(s.strip());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new UsageException(flag + " must be a whole number >= 1 (got '" + s + "')");
  }

  private static Duration seconds(String flag, Map<String, String> values, Duration dflt, boolean zeroAllowed) {
    String s = values.get(flag);
    if (s == null) {
      return dflt;
    }
    try {
      double d = Double.parseDouble(s.strip());
      if (Double.isFinite(d) && (d > 0 || zeroAllowed && d == 0) && d <= 365 * 86_400) {
        return Duration.ofNanos(Math.round(d * 1e9));
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new UsageException(flag + " must be a number of seconds " + (zeroAllowed ? ">= 0" : "> 0")
        + " (got '" + s + "')");
  }

  static GpuSelection gpus(String s) {
    String v = s.strip().toLowerCase(Locale.ROOT);
    if (v.equals("auto")) {
      return new GpuSelection.Auto();
    }
    if (v.equals("none") || v.isEmpty()) {
      return new GpuSelection.None();
    }
    TreeSet<Integer> indices = new TreeSet<>();
    for (String part : v.split(",")) {
      try {
        int i = Integer.parseInt(part.strip());
        if (i < 0 || !indices.add(i)) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw new UsageException("--gpus must be auto, none or distinct device indices such as 0,1 (got '" + s + "')");
      }
    }
    return new GpuSelection.Indices(List.copyOf(indices));
  }

  static Map<String, String> labels(String s) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : s.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq <= 0 || part.substring(0, eq).isBlank()) {
        throw new UsageException("--labels must be key=value pairs separated by commas (got '" + s + "')");
      }
      out.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
    }
    return out;
  }
}
