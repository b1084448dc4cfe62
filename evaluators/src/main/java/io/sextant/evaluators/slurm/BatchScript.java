package io.sextant.evaluators.slurm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The sbatch script of {@code ./sextant slurm submit}: a job array whose every task execs one executor node. Pure
 * text; {@link SlurmMain} submits it on sbatch's standard input.
 *
 * <p>What a task does: finds Java 25 the way {@code ./sextant} does (JAVA_HOME when it holds Java 25 or newer, else
 * the usual install directories), reads the token file into SEXTANT_TOKEN (the token is never in the script or on a
 * command line), works out its slots (given, or the CPUs Slurm allocated) and GPUs (CUDA_VISIBLE_DEVICES, else
 * SLURM_JOB_GPUS, when it asked for GPUs; none otherwise), and runs the executor as its child with the labels
 * {@code slurm.job} (the array's job id), {@code slurm.task}, {@code slurm.node}. {@code --signal=B:TERM@LEAD}
 * makes Slurm send SIGTERM to the batch shell {@link SubmitOptions#signalLead() LEAD} seconds before the time limit;
 * the shell's trap passes it to the executor, which drains, and the shell then ends with status 0 (the JVM's 143,
 * 128 + SIGTERM, is a clean end here), so the task is COMPLETED rather than FAILED or TIMEOUT. {@code scancel}
 * (SIGTERM to every process of the task) drains it the same way.
 *
 * <p>The job's comment records the server and the token file's path ({@code sextant;server=...;token-file=...},
 * percent-encoded) so {@code ./sextant slurm status} can find them.
 */
public final class BatchScript {
  /** The executor's entry point. */
  static final String MAIN = "io.sextant.evaluators.executor.ExecutorMain";
  /** How ./sextant finds JDK 25 when JAVA_HOME does not hold one (kept equal to its select_jdk). */
  static final List<String> JDK_CANDIDATES = List.of("/usr/lib/jvm/temurin-25-jdk-amd64",
      "/usr/lib/jvm/temurin-25-jdk", "/usr/lib/jvm/java-25-openjdk-amd64");

  private BatchScript() {}

  /**
   * The script for {@code o}.
   *
   * @param classpath what the task runs the executor from (the executor jar, on a filesystem the nodes share)
   */
  public static String render(SubmitOptions o, String classpath) {
    StringBuilder s = new StringBuilder();
    s.append("#!/bin/bash\n");
    s.append("# Sextant executors as a Slurm job array, written by ./sextant slurm submit (see docs/deploy.md).\n");
    s.append("# One executor node per task. The API token is read from the token file on the node, never written"
        + " here.\n");
    sbatch(s, "--job-name=sextant-executor");
    sbatch(s, "--array=0-" + (o.tasks() - 1));
    sbatch(s, "--output=sextant-executor-%A_%a.out");
    o.slots().ifPresent(n -> sbatch(s, "--cpus-per-task=" + n));
    o.partition().ifPresent(p -> sbatch(s, "--partition=" + p));
    if (o.gpusPerTask() > 0) {
      sbatch(s, "--gres=gpu:" + o.gpusPerTask());
    }
    o.time().ifPresent(t -> sbatch(s, "--time=" + t.strip()));
    // SIGTERM to the batch shell (the executor, see exec below) this long before the time limit: it drains
    sbatch(s, "--signal=B:TERM@" + o.signalLead().toSeconds());
    sbatch(s, "--comment=" + comment(o));
    s.append("set -euo pipefail\n\n");

    s.append("# Java 25, found as ./sextant finds it: JAVA_HOME when it holds Java 25+, else the usual places\n");
    s.append("""
        java_ok() {
          local v
          [ -x "$1/bin/java" ] || return 1
          v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
          [ "${v%%.*}" -ge 25 ] 2>/dev/null
        }
        jdk=
        """);
    s.append("for c in \"${JAVA_HOME:-}\" ").append(String.join(" ", JDK_CANDIDATES)).append("; do\n");
    s.append("""
          if [ -n "$c" ] && java_ok "$c"; then jdk=$c; break; fi
        done
        if [ -z "$jdk" ]; then
          echo "sextant-slurm: no JDK 25 on $(hostname): install Temurin 25 or set JAVA_HOME before submitting" >&2
          exit 1
        fi

        """);
    s.append("token_file=").append(quote(o.tokenFile().toString())).append('\n');
    s.append("""
        if [ ! -r "$token_file" ] || [ ! -s "$token_file" ]; then
          echo "sextant-slurm: cannot read the token file $token_file on $(hostname) (a shared filesystem?)" >&2
          exit 1
        fi
        SEXTANT_TOKEN=$(cat "$token_file")
        export SEXTANT_TOKEN

        """);
    if (o.slots().isPresent()) {
      s.append("slots=").append(o.slots().getAsInt()).append('\n');
    } else {
      s.append("slots=${SLURM_CPUS_PER_TASK:-${SLURM_CPUS_ON_NODE:-1}}  # the CPUs Slurm allocated\n");
    }
    if (o.gpusPerTask() > 0) {
      s.append("""
          # the GPUs Slurm allocated: device indices as CUDA sees them in this job
          if [[ "${CUDA_VISIBLE_DEVICES:-}" =~ ^[0-9]+(,[0-9]+)*$ ]]; then gpus=$CUDA_VISIBLE_DEVICES
          elif [[ "${SLURM_JOB_GPUS:-}" =~ ^[0-9]+(,[0-9]+)*$ ]]; then gpus=$SLURM_JOB_GPUS
          else gpus=auto
          fi
          """);
    } else {
      s.append("gpus=none  # no GPUs were asked for: offer none, whatever the node has\n");
    }
    s.append("""
        job=${SLURM_ARRAY_JOB_ID:-$SLURM_JOB_ID}
        task=${SLURM_ARRAY_TASK_ID:-0}
        node=${SLURMD_NODENAME:-$(hostname -s)}
        echo "sextant-slurm: task $task of job $job on $node: $slots slot(s), GPUs $gpus" >&2

        # Slurm's warning signal (--signal=B:TERM) reaches this shell: it passes it on; the executor drains, exits 143
        trap 'pending=1' TERM  # a SIGTERM before the executor has started is passed on once it has
        """);
    List<String> line = new ArrayList<>();
    line.add("\"$jdk/bin/java\" --enable-native-access=ALL-UNNAMED ${SEXTANT_EXECUTOR_JAVA_OPTS:-}");
    line.add("-cp " + quote(classpath) + " " + MAIN);
    line.add("--server " + quote(o.server().toString()));
    line.add("--name \"slurm-${job}_${task}\" --slots \"$slots\" --gpus \"$gpus\"");
    line.add("--labels \"slurm.job=$job,slurm.task=$task,slurm.node=$node\"");
    if (!o.labels().isEmpty()) {
      line.add("--labels " + quote(o.labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining(","))));
    }
    if (o.executorArgs().stream().noneMatch(a -> a.equals("--work-dir") || a.startsWith("--work-dir="))) {
      line.add("--work-dir \"${TMPDIR:-/tmp}/sextant-executor-${SLURM_JOB_ID}\"");
    }
    o.idleExit().ifPresent(d -> line.add("--idle-exit " + seconds(d.toMillis())));
    if (!o.executorArgs().isEmpty()) {
      line.add(o.executorArgs().stream().map(BatchScript::quote).collect(Collectors.joining(" ")));
    }
    s.append(String.join(" \\\n  ", line)).append(" &\n");
    s.append("""
        executor=$!
        echo "sextant-slurm: executor pid $executor" >&2
        trap 'kill -TERM "$executor" 2>/dev/null || true' TERM
        if [ -n "${pending:-}" ]; then kill -TERM "$executor" 2>/dev/null || true; fi
        while :; do
          status=0
          wait "$executor" || status=$?
          kill -0 "$executor" 2>/dev/null || break  # still running: the wait was cut short by the trap
        done
        if [ "$status" -eq 143 ]; then
          echo "sextant-slurm: the executor drained after SIGTERM" >&2
          exit 0
        fi
        exit "$status"
        """);
    return s.toString();
  }

  private static void sbatch(StringBuilder s, String option) {
    s.append("#SBATCH ").append(option).append('\n');
  }

  /** The job comment: {@code sextant;server=URL;token-file=PATH}, values percent-encoded. */
  static String comment(SubmitOptions o) {
    return "sextant;server=" + encode(o.server().toString()) + ";token-file=" + encode(o.tokenFile().toString());
  }

  /** What {@link #comment} recorded (keys server, token-file); empty when the comment is not ours. */
  static Map<String, String> parseComment(String comment) {
    Map<String, String> out = new LinkedHashMap<>();
    if (comment == null || !comment.startsWith("sextant;")) {
      return out;
    }
    for (String part : comment.substring("sextant;".length()).split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        out.put(part.substring(0, eq), decode(part.substring(eq + 1)));
      }
    }
    return out;
  }

  /** Percent-encodes every byte outside letters, digits and {@code _ . ~ : / @ + -}. */
  static String encode(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (x & 0xff);
      if (c < 128 && (Character.isLetterOrDigit(c) || "_.~:/@+-".indexOf(c) >= 0)) {
        b.append(c);
      } else {
        b.append('%').append(String.format("%02X", x & 0xff));
      }
    }
    return b.toString();
  }

  /** Undoes {@link #encode} (its output is ASCII). */
  static String decode(String s) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        try {
          out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
          i += 2;
          continue;
        } catch (NumberFormatException e) {
          // a literal '%'
        }
      }
      out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** A word for the shell: single-quoted, with single quotes spelled '\''. */
  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static String seconds(long millis) {
    return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
  }
}
