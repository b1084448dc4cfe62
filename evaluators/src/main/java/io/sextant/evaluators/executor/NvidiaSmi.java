package io.sextant.evaluators.executor;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * GPU detection with {@code nvidia-smi --query-gpu=index,name,memory.total --format=csv,noheader,nounits}, whose
 * output is one line per device: {@code 0, NVIDIA H100 80GB HBM3, 81559}.
 */
public final class NvidiaSmi {
  /** The arguments passed to nvidia-smi. */
  public static final List<String> QUERY =
      List.of("--query-gpu=index,name,memory.total", "--format=csv,noheader,nounits");

  private static final System.Logger LOG = System.getLogger(NvidiaSmi.class.getName());

  private NvidiaSmi() {}

  /**
   * Parses nvidia-smi's CSV output. Blank lines are skipped; a name may contain commas (the first field is the
   * index, the last the memory); a memory that is not a number (e.g. {@code [N/A]}) reads as 0.
   *
   * @throws IllegalArgumentException naming the line that is not of that form
   */
  public static List<ExecutorInfo.Gpu> parse(String csv) {
    List<ExecutorInfo.Gpu> out = new ArrayList<>();
    String[] lines = csv.split("\\R");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split(",");
      if (f.length < 3) {
        throw new IllegalArgumentException("nvidia-smi line " + (i + 1) + " is not 'index, name, memory': " + line);
      }
      int index;
      try {
        index = Integer.parseInt(f[0].strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("nvidia-smi line " + (i + 1) + " has no device index: " + line);
      }
      if (index < 0) {
        throw new IllegalArgumentException("nvidia-smi line " + (i + 1) + " has a negative device index: " + line);
      }
      String name = String.join(",", Arrays.copyOfRange(f, 1, f.length - 1)).strip();
      long memory;
      try {
        memory = Math.max(0, Math.round(Double.parseDouble(f[f.length - 1].strip())));
      } catch (NumberFormatException e) {
        memory = 0;
      }
      out.add(new ExecutorInfo.Gpu(index, name, memory));
    }
    return List.copyOf(out);
  }

  /**
   * Runs {@code executable} (e.g. {@code nvidia-smi}, looked up on the PATH) with {@link #QUERY}. Returns empty
   * when it cannot be started (no NVIDIA driver installed), fails, times out or prints something unreadable; the
   * reason is logged.
   */
  public static Optional<List<ExecutorInfo.Gpu>> query(String executable, Duration timeout) {
    List<String> cmd = new ArrayList<>();
    cmd.add(executable);
    cmd.addAll(QUERY);
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      LOG.log(Level.INFO, "no GPUs detected: {0} could not be started ({1})", executable, e.getMessage());
      return Optional.empty();
    }
    try {
      p.getOutputStream().close();
      // nvidia-smi prints little; reading before waiting cannot deadlock on a full pipe
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        LOG.log(Level.WARNING, "no GPUs detected: {0} did not finish within {1}", executable, timeout);
        return Optional.empty();
      }
      if (p.exitValue() != 0) {
        LOG.log(Level.WARNING, "no GPUs detected: {0} exited with status {1}", executable, p.exitValue());
        return Optional.empty();
      }
      return Optional.of(parse(out));
    } catch (IOException | IllegalArgumentException e) {
      p.destroyForcibly();
      LOG.log(Level.WARNING, "no GPUs detected: {0}: {1}", executable, e.getMessage());
      return Optional.empty();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
