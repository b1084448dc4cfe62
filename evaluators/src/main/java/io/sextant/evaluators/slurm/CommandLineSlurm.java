package io.sextant.evaluators.slurm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link Slurm} through its command-line tools on the PATH, with this process's environment minus SEXTANT_TOKEN
 * (sbatch copies the submitting environment into the job, and the token must not travel that way: the task reads
 * it from the token file). Each command may take up to a minute.
 */
public final class CommandLineSlurm implements Slurm {
  private static final long TIMEOUT_SECONDS = 60;

  @Override
  public String submit(String script) {
    Result r = run(List.of("sbatch", "--parsable"), script);
    if (r.status != 0) {
      throw new SlurmException("sbatch refused the job: " + r.errOrOut());
    }
    String out = r.out.strip();
    int semicolon = out.indexOf(';'); // "JOBID;CLUSTER" on a federated or multi-cluster setup
    String id = semicolon < 0 ? out : out.substring(0, semicolon);
    if (!id.matches("\\d+")) {
      throw new SlurmException("sbatch printed no job id: " + r.errOrOut());
    }
    return id;
  }

  @Override
  public List<String> partitionGres() {
    Result r = run(List.of("sinfo", "-h", "-o", "%P|%G"), null);
    if (r.status != 0) {
      throw new SlurmException("sinfo failed: " + r.errOrOut());
    }
    return r.out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  @Override
  public List<String> showJob(String job) {
    Result r = run(List.of("scontrol", "show", "job", "-o", job), null);
    if (r.status != 0) {
      if (r.err.contains("Invalid job id")) {
        return List.of();
      }
      throw new SlurmException("scontrol show job " + job + " failed: " + r.errOrOut());
    }
    return r.out.lines().map(String::strip).filter(l -> l.startsWith("JobId=")).toList();
  }

  private record Result(int status, String out, String err) {
    String errOrOut() {
      String e = err.strip();
      return e.isEmpty() ? out.strip() : e;
    }
  }

  private static Result run(List<String> command, String stdin) {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("SEXTANT_TOKEN");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new SlurmException(command.getFirst() + " could not be run (is Slurm's client installed and on the"
          + " PATH?): " + e.getMessage());
    }
    CompletableFuture<String> out = drain(p.getInputStream());
    CompletableFuture<String> err = drain(p.getErrorStream());
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // it exited without reading: its status and stderr say why
    }
    try {
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new SlurmException(String.join(" ", command) + " did not answer within " + TIMEOUT_SECONDS + " s");
      }
      return new Result(p.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new SlurmException(String.join(" ", command) + " interrupted");
    }
  }

  private static CompletableFuture<String> drain(InputStream s) {
    CompletableFuture<String> f = new CompletableFuture<>();
    Thread.ofPlatform().daemon().start(() -> {
      try (s) {
        f.complete(new String(s.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        f.completeExceptionally(new UncheckedIOException(e));
      }
    });
    return f;
  }
}
