package io.sextant.evaluators.executor;

import io.sextant.evaluators.spi.Evaluators;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The stand-alone executor node: {@code java -jar sextant-executor.jar --server URL [options]} (see
 * {@link ExecutorOptions#USAGE}). Registers with the server over REST ({@link RestDispatchPort}), retrying while the
 * server is unreachable, then leases and evaluates trials with every evaluator on the class path until SIGTERM (or
 * SIGINT), which drains the node: no new leases, running trials get the drain grace to finish, the rest are stopped
 * and handed back by deregistering. With {@code --idle-exit S} the node drains the same way and exits once it has
 * found no work for S seconds (or could not register for that long).
 *
 * <p>Exit status: 0 after an idle exit or {@code --help}; after a drain on SIGTERM what the JVM reports for a
 * signal-initiated shutdown (143 = 128 + SIGTERM); 1 when the server refuses the executor (400, 401, 403); 2 for a
 * bad command line.
 */
public final class ExecutorMain {
  private static final System.Logger LOG = System.getLogger(ExecutorMain.class.getName());
  /** How nvidia-smi is found: on the PATH. */
  static final String NVIDIA_SMI = "nvidia-smi";

  private ExecutorMain() {}

  public static void main(String[] args) {
    if (System.getProperty("java.util.logging.config.file") == null
        && System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
    }
    int status = run(Arrays.asList(args), System.getenv(), System.out, System.err);
    System.exit(status);
  }

  /**
   * Parses the command line and runs the node until the JVM shuts down. Returns the exit status without running
   * anything for {@code --help} (0) and a bad command line (2, usage on {@code err}).
   */
  static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    Optional<ExecutorOptions> parsed;
    try {
      parsed = ExecutorOptions.parse(args, env);
    } catch (UsageException e) {
      err.println("sextant-executor: " + e.getMessage());
      err.println();
      err.print(ExecutorOptions.USAGE);
      return 2;
    }
    if (parsed.isEmpty()) {
      out.print(ExecutorOptions.USAGE);
      return 0;
    }
    ExecutorOptions o = parsed.get();
    ExecutorInfo info = info(o, Runtime.getRuntime().availableProcessors(), hostName(env),
        cmd -> NvidiaSmi.query(cmd, Duration.ofSeconds(20)));
    Path workDir = o.workDir().orElse(Path.of(System.getProperty("java.io.tmpdir"), "sextant-executor"));
    ExecutorSettings settings = new ExecutorSettings(o.leaseDuration(), workDir, o.pollWait(), o.drainGrace(),
        o.trialTimeout(), o.idleExit());
    Evaluators evaluators = o.allowCommands() ? Evaluators.load() : Evaluators.load().withoutPrograms();
    LOG.log(Level.INFO, "executor {0}: {1} slot(s), {2} CPU core(s), GPUs {3}, labels {4}, evaluators {5}, pool {6}",
        info.name(), info.slots(), info.cpuCores(), info.gpus(), info.labels(), evaluators.all().keySet(),
        info.pool().orElse("(default)"));
    RestDispatchPort port = new RestDispatchPort(o.server(), o.token());
    ExecutorNode node = new ExecutorNode(port, info, evaluators, settings);
    CompletableFuture<String> stopped = new CompletableFuture<>();
    // Written to stderr directly: java.util.logging resets its handlers in its own shutdown hook.
    Thread hook = Thread.ofPlatform().name("sextant-executor-shutdown").unstarted(() -> {
      err.println(java.time.Instant.now() + " sextant-executor: shutting down, running trials get up to "
          + o.drainGrace().toMillis() / 1000.0 + " s to finish");
      port.stopLeasing();
      boolean clean = node.drain(o.drainGrace());
      port.close();
      err.println(java.time.Instant.now() + " sextant-executor: "
          + (clean ? "drained" : "drained; unfinished trials were stopped and handed back"));
      err.flush();
      stopped.complete("stopped");
    });
    Runtime.getRuntime().addShutdownHook(hook);
    long startedAt = System.nanoTime();
    int status = startWithRetries(node, o.server().toString(), o.idleExit().map(d -> startedAt + d.toNanos()));
    if (status == GAVE_UP) {
      err.println(java.time.Instant.now() + " sextant-executor: could not register within --idle-exit ("
          + o.idleExit().orElseThrow().toMillis() / 1000.0 + " s): exiting");
      return 0;
    }
    if (status != 0) {
      return status;
    }
    // the node's threads are daemons: this thread keeps the JVM up until the shutdown hook ran or the node went idle
    Object why = CompletableFuture.anyOf(stopped, node.idle().thenApply(v -> "idle")).join();
    if ("idle".equals(why)) {
      err.println(java.time.Instant.now() + " sextant-executor: no work for "
          + o.idleExit().orElseThrow().toMillis() / 1000.0 + " s (--idle-exit): draining and exiting");
      err.flush();
    }
    return 0; // main() exits, which runs the shutdown hook (drain) when the node went idle
  }

  /** {@link #startWithRetries}: the idle exit passed before the server could be reached. */
  private static final int GAVE_UP = -1;

  /**
   * Starts the node, retrying while the server cannot be reached; 0 once running (or shut down meanwhile), 1 when
   * refused for good, {@link #GAVE_UP} when {@code giveUpAt} (a System.nanoTime()) passed first.
   */
  private static int startWithRetries(ExecutorNode node, String server, Optional<Long> giveUpAt) {
    long backoffMs = 1000;
    while (true) {
      if (giveUpAt.isPresent() && System.nanoTime() - giveUpAt.get() >= 0) {
        return GAVE_UP;
      }
      try {
        String id = node.start();
        LOG.log(Level.INFO, "registered with {0} as executor {1}", server, id);
        return 0;
      } catch (DispatchHttpException e) {
        if (e.status() == 400 || e.status() == 401 || e.status() == 403) {
          LOG.log(Level.ERROR, "the server refused this executor: {0}", e.getMessage());
          return 1;
        }
        LOG.log(Level.WARNING, "could not register, retrying in {0} ms: {1}", backoffMs, e.getMessage());
      } catch (IllegalStateException e) {
        if (e.getMessage() != null && e.getMessage().contains("closed")) {
          return 0; // shut down while still registering
        }
        LOG.log(Level.WARNING, "could not register, retrying in {0} ms: {1}", backoffMs, e.getMessage());
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "could not register with {0}, retrying in {1} ms: {2}", server, backoffMs,
            ExecutorNode.reasonOf(e));
      }
      long sleepMs = giveUpAt.map(t -> Math.max(0, (t - System.nanoTime()) / 1_000_000)).orElse(Long.MAX_VALUE);
      try {
        Thread.sleep(Math.min(backoffMs, sleepMs));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 0;
      }
      backoffMs = Math.min(30_000, backoffMs * 2);
    }
  }

  /**
   * What the node offers: the options with the machine's defaults filled in.
   *
   * @param detect runs nvidia-smi (given its command), empty when it is absent or fails
   */
  static ExecutorInfo info(ExecutorOptions o, int cores, String host,
      Function<String, Optional<List<ExecutorInfo.Gpu>>> detect) {
    List<ExecutorInfo.Gpu> gpus = switch (o.gpus()) {
      case GpuSelection.None n -> List.of();
      case GpuSelection.Auto a -> detect.apply(NVIDIA_SMI).orElse(List.of());
      case GpuSelection.Indices ix -> {
        List<ExecutorInfo.Gpu> known = detect.apply(NVIDIA_SMI).orElse(List.of());
        List<ExecutorInfo.Gpu> chosen = new ArrayList<>();
        for (int i : ix.indices()) {
          chosen.add(known.stream().filter(g -> g.index() == i).findFirst()
              .orElse(new ExecutorInfo.Gpu(i, "GPU " + i, 0)));
        }
        yield chosen;
      }
    };
    return new ExecutorInfo(o.name().orElse(host), o.slots().orElse(Math.max(1, cores)), cores, gpus, o.labels(),
        List.of(), o.pool());
  }

  private static String hostName(Map<String, String> env) {
    String h = env.get("HOSTNAME");
    if (h != null && !h.isBlank()) {
      return h;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException | RuntimeException e) {
      return "executor";
    }
  }
}
