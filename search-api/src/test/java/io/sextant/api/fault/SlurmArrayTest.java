package io.sextant.api.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.api.Http;
import io.sextant.api.fault.FaultSupport.Change;
import io.sextant.api.fault.FaultSupport.Server;
import io.sextant.evaluators.builtin.Noop;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Executors as a Slurm job array ({@code ./sextant slurm submit}) on a real Slurm: Debian's slurm-wlm and munge
 * (installed with apt-get when missing; needs root, as CI has), a single-node cluster started in a temporary
 * directory by {@code deploy/slurm/local-cluster.sh} (its own munged, slurmctld and slurmd, stopped by PID at the
 * end), search-api on the fault tests' real PostgreSQL with a 3 s lease, and an EXECUTOR token in a file.
 *
 * <p>One array of three tasks runs, in turn: a 200-trial noop study (every trial completes exactly once, by the
 * database's audit; every executor carries its slurm.job/slurm.task/slurm.node labels; the token is in neither the
 * script Slurm keeps nor a command line), a {@code command} study, a study during which one task is cancelled with
 * {@code scancel} (SIGTERM: it drains and hands its trials back) and one's executor is killed with SIGKILL (as by
 * the OOM killer: its leases expire and are re-dispatched), nothing lost or counted twice; then the last task ends
 * by {@code --idle-exit}. Beside it, a one-task job with a one-minute time limit gets Slurm's warning signal, drains
 * (its running trial handed back) and ends COMPLETED before the limit. A GPU request on this node without GPUs is
 * refused with a clear message and submits nothing.
 *
 * <p>Prints the no-op trials per second through the array and the time from submit to the first lease (recorded in
 * docs/benchmarks-dispatch.md); nothing passes or fails on them.
 */
class SlurmArrayTest {
  /** The executors' drain grace: short, so the drains under test are quick; the time limit's signal leads by 21 s. */
  private static final String DRAIN_SECONDS = "1";

  @TempDir
  static Path dir;

  static Path cluster;
  static Map<String, String> slurmEnv;
  static Server server;
  static Http http;
  static String jdbc;
  static Path executorToken;
  static Path adminToken;

  @BeforeAll
  static void clusterAndServer() throws Exception {
    // munged runs as the user munge: it must be able to pass through the test's directory to the cluster's
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    cluster = dir.resolve("cluster");
    int port = freePortPair();
    Cmd start = run(dir, Map.of(), Duration.ofMinutes(10), asRoot(List.of(
        FaultSupport.repoRoot().resolve("deploy/slurm/local-cluster.sh").toString(), "start", cluster.toString(),
        "--cpus", "8", "--port", Integer.toString(port))));
    assertThat(start.status()).as("local-cluster.sh start (as root; it installs slurm-wlm and munge when missing):\n%s",
        start.output()).isZero();
    slurmEnv = Map.of("SLURM_CONF", cluster.resolve("slurm.conf").toString());

    jdbc = FaultSupport.newDatabase();
    server = FaultSupport.startServer(jdbc);
    FaultSupport.installAudit(jdbc);
    http = server.http();
    // an EXECUTOR token minted by the admin: its executors lease every study
    Http.Res t = http.post("/api/v1/tokens", Map.of("name", "slurm-executors", "role", "EXECUTOR"));
    assertThat(t.status()).as(t.text()).isEqualTo(201);
    executorToken = secretFile("executor-token", t.json().get("token").asString());
    adminToken = secretFile("admin-token", Http.ADMIN_TOKEN);
  }

  @AfterAll
  static void stopAll() throws Exception {
    if (slurmEnv != null) {
      // jobs first (their executors are the daemons' grandchildren), then the daemons by the PIDs in their files
      run(dir, slurmEnv, Duration.ofSeconds(30), List.of("scancel", "--user=root"));
      long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < end
          && !run(dir, slurmEnv, Duration.ofSeconds(30), List.of("squeue", "-h")).output().isBlank()) {
        Thread.sleep(200);
      }
    }
    if (cluster != null) {
      run(dir, Map.of(), Duration.ofSeconds(60), asRoot(List.of(
          FaultSupport.repoRoot().resolve("deploy/slurm/local-cluster.sh").toString(), "stop", cluster.toString())));
    }
    if (server != null) {
      server.close();
    }
  }

  // ---------------------------------------------------------------- the scenarios

  @Test
  void aGpuRequestOnANodeWithoutGpusIsRefusedAndSubmitsNothing() throws Exception {
    List<String> before = jobIds();
    Cmd r = slurm(List.of("submit", "--server", server.url(), "--token-file", executorToken.toString(),
        "--tasks", "1", "--gpus-per-task", "1"));
    assertThat(r.status()).as(r.output()).isEqualTo(1);
    assertThat(r.output()).contains("--gpus-per-task 1: the nodes of partition 'debug' have no GPUs",
        "nothing was submitted");
    assertThat(r.stdout()).isEmpty();
    assertThat(jobIds()).isEqualTo(before);
  }

  @Test
  void anArrayOfExecutorsRunsStudiesAndEndsCleanlyOnScancelTimeLimitAndIdleExit() throws Exception {
    // --- beside it, a job that reaches its time limit: one task, one minute, a trial that would run for two
    Map<String, Object> longBody = FaultSupport.study("time-limit",
        Map.of("name", "noop", "config", Map.of("sleepMs", 120_000, "reportEveryMs", 1000)),
        Map.of("maxTrials", 1, "maxAttempts", 3));
    longBody.put("resources", Map.of("labels", Map.of("pool", "time-limit")));
    long longStudy = FaultSupport.create(http, longBody);
    String limited = submit(List.of("--tasks", "1", "--time", "00:01:00", "--labels", "pool=time-limit"));

    // --- the array: a 200-trial noop study waiting for it, then submit (3 tasks x 2 slots)
    Map<String, Object> noopBody = FaultSupport.study("array-noop", Map.of("name", "noop"),
        Map.of("maxTrials", 200, "maxAttempts", 3));
    noopBody.put("resources", Map.of("labels", Map.of("pool", "array")));
    long noop = FaultSupport.create(http, noopBody);
    Instant submitted = Instant.now();
    String job = submit(List.of("--tasks", "3", "--slots", "2", "--labels", "pool=array", "--idle-exit", "10"));
    FaultSupport.await("the noop study completed", Duration.ofSeconds(120),
        () -> FaultSupport.studyState(http, noop).equals("COMPLETED") || failedTasks(job));
    assertThat(FaultSupport.studyState(http, noop)).as(outputs(job)).isEqualTo("COMPLETED");

    // the command study right away (an idle executor leaves after 10 s)
    Map<String, Object> cmdBody = FaultSupport.study("array-command", Map.of("name", "command", "config",
        Map.of("command", "echo \"{\\\"values\\\": {\\\"loss\\\": $SEXTANT_PARAM_X}}\"", "timeoutSeconds", 60)),
        Map.of("maxTrials", 6, "maxAttempts", 2));
    cmdBody.put("resources", Map.of("labels", Map.of("pool", "array")));
    long command = FaultSupport.create(http, cmdBody);

    List<JsonNode> noopTrials = FaultSupport.trials(http, noop);
    FaultSupport.assertGapless(noopTrials, 200);
    FaultSupport.assertEachTrialEndedOnce(jdbc, noop, 200);
    Map<String, JsonNode> arrayExecutors = executorsOf(job);
    assertThat(arrayExecutors).hasSize(3);
    Map<Integer, String> nodeOfTask = nodesOf(job);
    Set<String> tasksSeen = new HashSet<>();
    for (JsonNode e : arrayExecutors.values()) {
      JsonNode labels = e.get("labels");
      String task = labels.get("slurm.task").asString();
      tasksSeen.add(task);
      assertThat(labels.get("slurm.node").asString()).isEqualTo(nodeOfTask.get(Integer.parseInt(task)));
      assertThat(labels.get("pool").asString()).isEqualTo("array");
      assertThat(e.get("name").asString()).isEqualTo("slurm-" + job + "_" + task);
      assertThat(e.get("slots").asInt()).isEqualTo(2);
      assertThat(e.get("gpus")).isEmpty();
      assertThat(e.get("state").asString()).isEqualTo("ACTIVE");
    }
    assertThat(tasksSeen).containsExactlyInAnyOrder("0", "1", "2");
    // the token reached the executor through its environment only: not in the script Slurm keeps, not on a
    // command line
    String token = Files.readString(executorToken).strip();
    Cmd script = run(dir, slurmEnv, Duration.ofSeconds(30), List.of("scontrol", "write", "batch_script", job, "-"));
    assertThat(script.stdout()).contains("#SBATCH --array=0-2").doesNotContain(token);
    long pid = executorPid(job, 2);
    assertThat(proc(pid, "cmdline").replace('\0', ' ')).contains("io.sextant.evaluators.executor.ExecutorMain")
        .doesNotContain(token);
    assertThat(proc(pid, "environ").split("\0")).contains("SEXTANT_TOKEN=" + token);
    Instant firstLease = Instant.MAX;
    Instant lastEnd = Instant.MIN;
    long completedByArray = 0;
    for (JsonNode t : noopTrials) {
      assertThat(t.get("state").asString()).as(t.toString()).isEqualTo("COMPLETED");
      assertThat(arrayExecutors).as("trial %s ran on the array", t).containsKey(t.get("executorId").asString());
      Map<String, Object> params = Http.JSON.convertValue(t.get("params"), Map.class);
      assertThat(t.get("values").get("loss").asDouble()).isEqualTo(Noop.value(params));
      Instant started = OffsetDateTime.parse(t.get("startedAt").asString()).toInstant();
      Instant finished = OffsetDateTime.parse(t.get("finishedAt").asString()).toInstant();
      firstLease = started.isBefore(firstLease) ? started : firstLease;
      lastEnd = finished.isAfter(lastEnd) ? finished : lastEnd;
    }
    for (JsonNode e : arrayExecutors.values()) {
      completedByArray += e.get("trialsCompleted").asLong();
    }
    assertThat(completedByArray).isGreaterThanOrEqualTo(200);
    double toFirstLease = Duration.between(submitted, firstLease).toMillis() / 1000.0;
    double perSecond = 200 / (Duration.between(firstLease, lastEnd).toMillis() / 1000.0);
    System.out.printf("slurm array: submit -> first lease %.2f s; 200 noop trials through 3 tasks x 2 slots at"
        + " %.0f trials/s (%s)%n", toFirstLease, perSecond, LocalDate.now());

    // the command study ran on the array's executors, as programs
    FaultSupport.await("the command study completed", Duration.ofSeconds(60),
        () -> FaultSupport.studyState(http, command).equals("COMPLETED"));
    for (JsonNode t : FaultSupport.trials(http, command)) {
      assertThat(t.get("state").asString()).as(t.toString()).isEqualTo("COMPLETED");
      assertThat(arrayExecutors).containsKey(t.get("executorId").asString());
      assertThat(t.get("values").get("loss").asDouble()).isEqualTo(t.get("params").get("x").asDouble());
    }

    // --- scancel mid-study: task 0 gets SIGTERM (drains, hands back), task 1's executor SIGKILL (leases expire);
    // the study is created at once (an idle executor leaves after 10 s), the status check runs meanwhile
    Map<String, Object> cancelBody = FaultSupport.study("array-scancel",
        Map.of("name", "noop", "config", Map.of("sleepMs", 3000, "reportEveryMs", 500)),
        Map.of("maxTrials", 24, "maxAttempts", 3));
    cancelBody.put("resources", Map.of("labels", Map.of("pool", "array")));
    long cancel = FaultSupport.create(http, cancelBody);
    // status: three running tasks with their executors and what they completed
    Cmd status = slurm(List.of("status", job, "--token-file", adminToken.toString()));
    assertThat(status.status()).as(status.output()).isZero();
    assertThat(status.output()).contains("job " + job + ": 3 task(s): 3 running, 0 pending, 0 ended; 3 executor(s)"
        + " active, 0 lost; ");
    for (String task : List.of("0", "1", "2")) {
      assertThat(status.output()).containsPattern("(?m)^" + task + "\\s+RUNNING\\s+\\S+\\s+\\S+\\s+\\S{8}\\s+ACTIVE");
    }

    String drained = idOfTask(arrayExecutors, "0");
    String killed = idOfTask(arrayExecutors, "1");
    FaultSupport.await("tasks 0 and 1 run trials of the study", Duration.ofSeconds(60), () -> {
      Map<String, JsonNode> now = executorsOf(job);
      return now.size() == 3 && List.of(drained, killed).stream().allMatch(id -> busyWith(now.get(id), cancel));
    });
    assertThat(run(dir, slurmEnv, Duration.ofSeconds(30), List.of("scancel", job + "_0")).status()).isZero();
    // task 1's executor JVM dies by SIGKILL, as by the OOM killer or a crash (its PID from the task's output); the
    // batch shell reports the death and the task fails
    long victim = executorPid(job, 1);
    assertThat(run(dir, Map.of(), Duration.ofSeconds(30), List.of("kill", "-KILL", Long.toString(victim))).status())
        .isZero();
    FaultSupport.await("the scancel study completed", Duration.ofSeconds(90),
        () -> FaultSupport.studyState(http, cancel).equals("COMPLETED"));
    Map<Long, Integer> cancelRuns = FaultSupport.assertEachTrialEndedOnce(jdbc, cancel, 24);
    List<JsonNode> cancelTrials = FaultSupport.trials(http, cancel);
    FaultSupport.assertGapless(cancelTrials, 24);
    Map<Long, String> finalExecutor = new HashMap<>();
    for (JsonNode t : cancelTrials) {
      assertThat(t.get("state").asString()).as(t.toString()).isEqualTo("COMPLETED");
      finalExecutor.put(t.get("number").asLong(), t.get("executorId").asString());
    }
    // per trial, who held each attempt: a trial the killed task held and did not finish came back (lease expiry)
    // and completed elsewhere; so did what the drained task handed back; nothing ran twice to completion
    List<Change> audit = FaultSupport.audit(jdbc, cancel);
    int rerunFromKilled = 0;
    for (long n = 1; n <= 24; n++) {
      long number = n;
      List<String> holders = FaultSupport.leaseHolders(audit.stream().filter(c -> c.number() == number).toList());
      assertThat(holders).as("lease holders of trial %d", n).hasSize(cancelRuns.get(n));
      for (String gone : List.of(killed, drained)) {
        int at = holders.indexOf(gone);
        if (at >= 0 && at < holders.size() - 1) {
          assertThat(finalExecutor.get(n)).as("trial %d: %s", n, holders).isNotEqualTo(gone);
          rerunFromKilled += gone.equals(killed) ? 1 : 0;
        }
      }
    }
    assertThat(rerunFromKilled).as("trials the killed task was running, re-run elsewhere").isBetween(1, 2);
    String drainedLog = output(job, 0);
    assertThat(drainedLog).contains("sextant-executor: shutting down", "sextant-executor: drained");
    assertThat(output(job, 1)).doesNotContain("shutting down"); // SIGKILL: no last words
    assertThat(taskState(job, 0)).isEqualTo("CANCELLED");
    assertThat(taskState(job, 1)).isEqualTo("FAILED");
    // the drained executor deregistered; the killed one is still listed (LOST soon) until it is forgotten
    assertThat(executorsOf(job)).doesNotContainKey(drained).containsKey(killed);

    // --- idle exit: the last task leaves once it has found no work for 10 s
    FaultSupport.await("task 2 ended by --idle-exit", Duration.ofSeconds(60),
        () -> !taskState(job, 2).equals("RUNNING"));
    assertThat(taskState(job, 2)).as(output(job, 2)).isEqualTo("COMPLETED");
    assertThat(output(job, 2)).contains("(--idle-exit): draining and exiting", "sextant-executor: drained");
    assertThat(executorsOf(job)).doesNotContainKey(idOfTask(arrayExecutors, "2"));

    // --- the time-limited job: warned before its limit, drained, its trial handed back, COMPLETED (not TIMEOUT)
    FaultSupport.await("the time-limited task ended", Duration.ofSeconds(90),
        () -> !taskState(limited, 0).matches("RUNNING|PENDING|COMPLETING|CONFIGURING"));
    String record = scontrol(limited).getFirst();
    assertThat(field(record, "JobState")).as(record + "\n" + output(limited, 0)).isEqualTo("COMPLETED");
    assertThat(seconds(field(record, "RunTime"))).isLessThan(60);
    assertThat(field(record, "TimeLimit")).isEqualTo("00:01:00");
    String limitedLog = output(limited, 0);
    assertThat(limitedLog).contains("sextant-executor: shutting down",
        "drained; unfinished trials were stopped and handed back");
    JsonNode longTrial = http.get("/api/v1/studies/" + longStudy + "/trials/1").json();
    assertThat(longTrial.get("state").asString()).as(longTrial.toString()).isEqualTo("WAITING");
    assertThat(longTrial.get("attempt").asInt()).isEqualTo(2);
    List<String> longPath = FaultSupport.audit(jdbc, longStudy).stream().map(Change::newState).toList();
    assertThat(longPath).endsWith("RUNNING", "WAITING").filteredOn("RUNNING"::equals).hasSize(1);
    assertThat(executorsOf(limited)).isEmpty();
    http.post("/api/v1/studies/" + longStudy + "/pause", Map.of());

    // status once all is over: every task ended, no executor left
    Cmd after = slurm(List.of("status", job, "--token-file", adminToken.toString()));
    assertThat(after.output()).as(after.output()).contains("job " + job + ": 3 task(s): 0 running, 0 pending,"
        + " 3 ended; ");
  }

  // ---------------------------------------------------------------- helpers

  /** Submits an array with the test's executor flags; returns the job id. */
  private static String submit(List<String> options) throws Exception {
    List<String> args = new ArrayList<>(List.of("submit", "--server", server.url(), "--token-file",
        executorToken.toString()));
    args.addAll(options);
    args.addAll(List.of("--", "--lease-seconds", Double.toString(FaultSupport.LEASE_SECONDS), "--poll-seconds", "1",
        "--drain-seconds", DRAIN_SECONDS, "--allow-commands"));
    Cmd r = slurm(args);
    assertThat(r.status()).as(r.output()).isZero();
    String id = r.stdout().strip();
    assertThat(id).as(r.output()).matches("\\d+");
    return id;
  }

  /**
   * {@code ./sextant slurm ARGS} in the test directory when the executor jar is fresh; otherwise SlurmMain from
   * this test's class path (the tasks then run the executor from it too). Executors get small JVMs.
   */
  private static Cmd slurm(List<String> args) throws Exception {
    Map<String, String> env = new HashMap<>(slurmEnv);
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("SEXTANT_EXECUTOR_JAVA_OPTS", String.join(" ", FaultSupport.EXECUTOR_JVM_OPTIONS));
    env.remove("SEXTANT_TOKEN");
    List<String> cmd = new ArrayList<>();
    if (FaultSupport.freshExecutorJar().isPresent()) {
      cmd.add(FaultSupport.repoRoot().resolve("sextant").toString());
      cmd.add("slurm");
    } else {
      cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), "io.sextant.evaluators.slurm.SlurmMain"));
    }
    cmd.addAll(args);
    return run(dir, env, Duration.ofSeconds(120), cmd);
  }

  /** The executors registered for a job (label slurm.job), by id. */
  private static Map<String, JsonNode> executorsOf(String job) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (JsonNode e : http.get("/api/v1/executors").json().get("executors")) {
      JsonNode j = e.get("labels").get("slurm.job");
      if (j != null && j.asString().equals(job)) {
        out.put(e.get("id").asString(), e);
      }
    }
    return out;
  }

  /** Whether an executor (as listed) is running a trial of the study. */
  private static boolean busyWith(JsonNode executor, long study) {
    for (JsonNode t : executor.get("runningTrials")) {
      if (t.get("studyId").asLong() == study) {
        return true;
      }
    }
    return false;
  }

  private static String idOfTask(Map<String, JsonNode> executors, String task) {
    return executors.values().stream().filter(e -> e.get("labels").get("slurm.task").asString().equals(task))
        .map(e -> e.get("id").asString()).findFirst().orElseThrow();
  }

  /** The ids of every job Slurm has a record of (running, pending, or ended within MinJobAge). */
  private static List<String> jobIds() {
    return scontrol("").stream().map(r -> field(r, "JobId")).sorted().toList();
  }

  private static List<String> scontrol(String job) {
    try {
      List<String> cmd = new ArrayList<>(List.of("scontrol", "show", "job", "-o"));
      if (!job.isEmpty()) {
        cmd.add(job);
      }
      return run(dir, slurmEnv, Duration.ofSeconds(30), cmd).output()
          .lines().filter(l -> l.startsWith("JobId=")).toList();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** A task's Slurm state ("UNKNOWN" when Slurm has no record of it). */
  private static String taskState(String job, int task) {
    return scontrol(job + "_" + task).stream().findFirst().map(r -> field(r, "JobState")).orElse("UNKNOWN");
  }

  /** The node of each started task. */
  private static Map<Integer, String> nodesOf(String job) {
    Map<Integer, String> out = new HashMap<>();
    for (String r : scontrol(job)) {
      String task = field(r, "ArrayTaskId");
      if (task.matches("\\d+")) {
        out.put(Integer.parseInt(task), field(r, "NodeList"));
      }
    }
    return out;
  }

  /** Whether a task of the job ended FAILED (e.g. its executor could not start): no point waiting then. */
  private static boolean failedTasks(String job) {
    return scontrol(job).stream().anyMatch(r -> field(r, "JobState").equals("FAILED"));
  }

  private static String field(String record, String key) {
    return io.sextant.evaluators.slurm.Slurm.field(record, key).orElse("");
  }

  private static long seconds(String hhmmss) {
    String[] p = hhmmss.split(":");
    return Long.parseLong(p[0]) * 3600 + Long.parseLong(p[1]) * 60 + Long.parseLong(p[2]);
  }

  /** A file of /proc/PID (bytes as Latin-1: an environment need not be UTF-8). */
  private static String proc(long pid, String file) throws IOException {
    return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), file)),
        java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /** The executor's PID, as the task's script printed it. */
  private static long executorPid(String job, int task) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("sextant-slurm: executor pid (\\d+)")
        .matcher(output(job, task));
    assertThat(m.find()).as(output(job, task)).isTrue();
    return Long.parseLong(m.group(1));
  }

  /** A task's output file (sbatch --output in the directory submit ran in). */
  private static String output(String job, int task) {
    try {
      Path f = dir.resolve("sextant-executor-" + job + "_" + task + ".out");
      return Files.exists(f) ? Files.readString(f) : "(no output " + f + ")";
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  private static String outputs(String job) {
    return List.of(0, 1, 2).stream().map(t -> "--- task " + t + "\n" + tail(output(job, t)))
        .collect(Collectors.joining("\n"));
  }

  private static String tail(String s) {
    return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
  }

  private static Path secretFile(String name, String secret) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, secret + "\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  /** Two free TCP ports p, p+1 (slurmctld and slurmd). */
  private static int freePortPair() throws IOException {
    for (int i = 0; i < 50; i++) {
      int p;
      try (ServerSocket s = new ServerSocket(0)) {
        p = s.getLocalPort();
      }
      if (p < 65535) {
        try (ServerSocket a = new ServerSocket(p); ServerSocket b = new ServerSocket(p + 1)) {
          return p;
        } catch (IOException e) {
          // taken meanwhile: try another
        }
      }
    }
    throw new IOException("no two adjacent free ports");
  }

  /** The command as root: itself when this JVM runs as root, else through {@code sudo -n}. */
  private static List<String> asRoot(List<String> cmd) {
    if ("root".equals(System.getProperty("user.name"))) {
      return cmd;
    }
    List<String> out = new ArrayList<>(List.of("sudo", "-n"));
    out.addAll(cmd);
    return out;
  }

  /** A finished command: exit status, stdout, stdout and stderr together. */
  record Cmd(int status, String stdout, String output) {}

  static Cmd run(Path cwd, Map<String, String> env, Duration timeout, List<String> cmd) throws Exception {
    Path out = Files.createTempFile(dir, "cmd", ".out");
    Path err = Files.createTempFile(dir, "cmd", ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      return new Cmd(-1, Files.readString(out), "timed out after " + timeout + ": " + cmd + "\n"
          + Files.readString(out) + Files.readString(err));
    }
    String o = Files.readString(out);
    String e = Files.readString(err);
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    return new Cmd(p.exitValue(), o, o + e);
  }
}
