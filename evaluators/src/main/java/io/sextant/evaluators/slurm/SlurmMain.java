package io.sextant.evaluators.slurm;

import io.sextant.evaluators.executor.UsageException;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code ./sextant slurm submit|status}: executors as a Slurm job array ({@link SubmitOptions#USAGE}).
 *
 * <p>submit checks the command line, the token file (readable, one line; a warning when others may read it) and,
 * for a GPU request, that the partition has GPUs at all (sbatch's own refusal, "Invalid generic resource (gres)
 * specification", does not say what is wrong); then submits {@link BatchScript} and prints the job id. status
 * prints {@link ArrayStatus}.
 *
 * <p>Exit status: 0 done; 1 Slurm refused or failed (message on stderr), or it does not know the job; 2 bad command
 * line.
 */
public final class SlurmMain {
  private SlurmMain() {}

  /** Reads the executors listing of a server: the body of GET url with a bearer token. */
  @FunctionalInterface
  interface ExecutorsSource {
    /**
     * @throws HttpStatusException for a non-2xx answer
     * @throws IOException when the server cannot be reached
     */
    String get(URI url, String token) throws IOException;
  }

  /** A non-2xx answer. */
  static final class HttpStatusException extends IOException {
    final int status;

    HttpStatusException(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args), System.getenv(), System.out, System.err, new CommandLineSlurm(),
        SlurmMain::httpGet));
  }

  static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err, Slurm slurm,
      ExecutorsSource executors) {
    if (args.isEmpty() || args.getFirst().equals("-h") || args.getFirst().equals("--help")) {
      (args.isEmpty() ? err : out).print(SubmitOptions.USAGE);
      return args.isEmpty() ? 2 : 0;
    }
    List<String> rest = args.subList(1, args.size());
    try {
      return switch (args.getFirst()) {
        case "submit" -> submit(rest, env, out, err, slurm);
        case "status" -> status(rest, env, out, err, slurm, executors);
        default -> throw new UsageException("unknown command '" + args.getFirst() + "' (submit or status)");
      };
    } catch (UsageException e) {
      err.println("sextant slurm: " + e.getMessage());
      err.println();
      err.print(SubmitOptions.USAGE);
      return 2;
    } catch (Slurm.SlurmException e) {
      err.println("sextant slurm: " + e.getMessage());
      return 1;
    }
  }

  private static int submit(List<String> args, Map<String, String> env, PrintStream out, PrintStream err,
      Slurm slurm) {
    if (args.contains("-h") || args.contains("--help")) {
      out.print(SubmitOptions.USAGE);
      return 0;
    }
    SubmitOptions o = SubmitOptions.parse(args, env);
    checkTokenFile(o.tokenFile(), err);
    if (o.gpusPerTask() > 0 && !o.dryRun()) {
      Optional<String> refusal = gpuRefusal(slurm.partitionGres(), o.partition(), o.gpusPerTask());
      if (refusal.isPresent()) {
        err.println("sextant slurm: " + refusal.get() + "; nothing was submitted");
        return 1;
      }
    }
    String script = BatchScript.render(o, classpath(env));
    if (o.dryRun()) {
      out.print(script);
      err.println("sextant slurm: dry run: `sbatch --parsable` would get this script on its standard input");
      return 0;
    }
    String id = slurm.submit(script);
    out.println(id);
    err.println("sextant slurm: submitted job array " + id + " (" + o.tasks() + " executor task(s)) for "
        + o.server() + "; output in sextant-executor-" + id + "_<task>.out; ./sextant slurm status " + id);
    return 0;
  }

  /** The token file must hold one line; a token others may read is worth a warning, not a refusal. */
  private static void checkTokenFile(Path file, PrintStream err) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw new UsageException("--token-file " + file + ": cannot read it (" + e.getMessage() + ")");
    }
    String token = text.strip();
    if (token.isEmpty() || token.lines().count() != 1 || token.chars().anyMatch(Character::isWhitespace)) {
      throw new UsageException("--token-file " + file + " must hold the token alone, on one line");
    }
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
      if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
        err.println("sextant slurm: warning: others may read the token file " + file + " (chmod 600 it)");
      }
    } catch (IOException | UnsupportedOperationException e) {
      // not a POSIX filesystem: nothing to say
    }
  }

  /**
   * Why a GPU request cannot run in the partition (the default one when none is named), judged from sinfo's
   * {@code PARTITION|GRES} rows; empty when it can, or when the partition is not listed (sbatch then says so).
   */
  static Optional<String> gpuRefusal(List<String> partitionGres, Optional<String> partition, int gpus) {
    boolean listed = false;
    String name = partition.orElse("");
    long most = 0;
    for (String row : partitionGres) {
      int bar = row.indexOf('|');
      if (bar < 0) {
        continue;
      }
      String p = row.substring(0, bar).strip();
      boolean isDefault = p.endsWith("*");
      p = isDefault ? p.substring(0, p.length() - 1) : p;
      if (partition.isPresent() ? !p.equals(name) : !isDefault) {
        continue;
      }
      listed = true;
      name = p;
      most = Math.max(most, gpuCount(row.substring(bar + 1)));
    }
    if (!listed) {
      return Optional.empty();
    }
    if (most == 0) {
      return Optional.of("--gpus-per-task " + gpus + ": the nodes of partition '" + name + "' have no GPUs (sinfo"
          + " lists no gpu GRES there); ask for a partition with GPUs (--partition) or leave --gpus-per-task out");
    }
    if (most < gpus) {
      return Optional.of("--gpus-per-task " + gpus + ": the nodes of partition '" + name + "' have at most " + most
          + " GPU(s) each");
    }
    return Optional.empty();
  }

  /** The GPUs in a node's GRES list, e.g. {@code gpu:a100:4(S:0-1),nvme:1} is 4; {@code (null)} is 0. */
  static long gpuCount(String gres) {
    long n = 0;
    for (String entry : gres.split(",(?![^(]*\\))")) {
      String e = entry.strip();
      int paren = e.indexOf('(');
      if (paren >= 0) {
        e = e.substring(0, paren);
      }
      String[] parts = e.split(":");
      if (parts.length < 2 || !parts[0].equals("gpu")) {
        continue;
      }
      try {
        n += Long.parseLong(parts[parts.length - 1]);
      } catch (NumberFormatException ex) {
        n += 1; // gpu:a100 without a count means one
      }
    }
    return n;
  }

  /** What the tasks run: SEXTANT_EXECUTOR_CLASSPATH, else this process's class path; entries made absolute. */
  static String classpath(Map<String, String> env) {
    String cp = Optional.ofNullable(env.get("SEXTANT_EXECUTOR_CLASSPATH")).filter(s -> !s.isBlank())
        .orElse(System.getProperty("java.class.path"));
    return Arrays.stream(cp.split(File.pathSeparator)).filter(s -> !s.isBlank())
        .map(s -> Path.of(s).toAbsolutePath().normalize().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static int status(List<String> args, Map<String, String> env, PrintStream out, PrintStream err,
      Slurm slurm, ExecutorsSource executors) {
    String job = null;
    Optional<String> server = Optional.empty();
    Optional<Path> tokenFile = Optional.empty();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String flag = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      if (flag.equals("--server") || flag.equals("--token-file")) {
        String v = a.contains("=") ? a.substring(a.indexOf('=') + 1) : i + 1 < args.size() ? args.get(++i) : null;
        if (v == null || v.isBlank()) {
          throw new UsageException("option '" + flag + "' needs a value");
        }
        if (flag.equals("--server")) {
          server = Optional.of(SubmitOptions.server(v).toString());
        } else {
          tokenFile = Optional.of(Path.of(v));
        }
      } else if (a.equals("-h") || a.equals("--help")) {
        out.print(SubmitOptions.USAGE);
        return 0;
      } else if (a.startsWith("-")) {
        throw new UsageException("unknown option '" + a + "'");
      } else if (job == null) {
        job = a;
      } else {
        throw new UsageException("unexpected argument '" + a + "'");
      }
    }
    if (job == null || !job.matches("\\d+")) {
      throw new UsageException("status needs the job id that submit printed (a number), got '"
          + (job == null ? "" : job) + "'");
    }
    List<String> records = slurm.showJob(job);
    if (records.isEmpty()) {
      err.println("sextant slurm: Slurm does not know job " + job + " (finished jobs are forgotten after the"
          + " cluster's MinJobAge)");
      return 1;
    }
    Map<String, String> comment = BatchScript.parseComment(Slurm.field(records.getFirst(), "Comment").orElse(""));
    List<ArrayStatus.Task> tasks = ArrayStatus.tasks(records);
    Optional<String> base = server.or(() -> Optional.ofNullable(comment.get("server")));
    Map<Integer, List<ArrayStatus.Executor>> byTask = Map.of();
    Optional<String> note = Optional.empty();
    if (base.isEmpty()) {
      note = Optional.of("unknown (not submitted by ./sextant slurm submit: pass --server)");
    } else {
      Optional<String> token = token(tokenFile, env, comment);
      URI url = URI.create(base.get().replaceAll("/+$", "") + "/api/v1/executors");
      try {
        byTask = ArrayStatus.executors(job, executors.get(url, token.orElse("")));
      } catch (HttpStatusException e) {
        note = Optional.of(e.status == 401 || e.status == 403
            ? "not readable with this token (HTTP " + e.status + "; EXECUTOR tokens cannot list executors): pass"
                + " --token-file with an ADMIN, MEMBER or VIEWER token, or set SEXTANT_TOKEN"
            : "the server answered HTTP " + e.status + ": " + e.getMessage());
      } catch (IOException | RuntimeException e) {
        note = Optional.of("server " + base.get() + " not reachable: " + e.getMessage());
      }
    }
    out.print(new ArrayStatus(job, tasks, byTask).render(note));
    return 0;
  }

  /** --token-file, else SEXTANT_TOKEN, else the token file the job was submitted with. */
  private static Optional<String> token(Optional<Path> tokenFile, Map<String, String> env,
      Map<String, String> comment) {
    List<Path> files = new ArrayList<>();
    if (tokenFile.isPresent()) {
      files.add(tokenFile.get());
    } else if (env.get("SEXTANT_TOKEN") != null && !env.get("SEXTANT_TOKEN").isBlank()) {
      return Optional.of(env.get("SEXTANT_TOKEN").strip());
    } else if (comment.containsKey("token-file")) {
      files.add(Path.of(comment.get("token-file")));
    }
    for (Path f : files) {
      try {
        return Optional.of(Files.readString(f).strip());
      } catch (IOException e) {
        if (tokenFile.isPresent()) {
          throw new UsageException("--token-file " + f + ": cannot read it (" + e.getMessage() + ")");
        }
      }
    }
    return Optional.empty();
  }

  private static String httpGet(URI url, String token) throws IOException {
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
      HttpRequest.Builder req = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET();
      if (!token.isEmpty()) {
        req.header("Authorization", "Bearer " + token);
      }
      HttpResponse<String> r = client.send(req.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        String body = r.body() == null ? "" : r.body().strip();
        throw new HttpStatusException(r.statusCode(), body.length() > 300 ? body.substring(0, 300) : body);
      }
      return r.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
