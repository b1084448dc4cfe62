package io.sextant.evaluators.slurm;

import java.util.List;
import java.util.Optional;

/**
 * The Slurm commands {@code ./sextant slurm} uses. {@link CommandLineSlurm} runs the real ones (sbatch, sinfo,
 * scontrol) with the caller's environment (SLURM_CONF, SBATCH_*).
 */
public interface Slurm {
  /**
   * Submits a batch script (on sbatch's standard input).
   *
   * @return the job id sbatch printed
   * @throws SlurmException with sbatch's own message when it refuses the job
   */
  String submit(String script);

  /**
   * The generic resources of each partition's nodes: one {@code PARTITION|GRES} row per distinct combination, as
   * {@code sinfo -h -o %P|%G} prints them (the default partition's name ends in {@code *}, no GRES is
   * {@code (null)}).
   */
  List<String> partitionGres();

  /**
   * The job's records as {@code scontrol show job -o JOB} prints them (one line per started array task, one for
   * the tasks still pending); empty when Slurm does not know the job (any more).
   */
  List<String> showJob(String job);

  /** Thrown when a Slurm command fails; the message is the command's own error. */
  final class SlurmException extends RuntimeException {
    public SlurmException(String message) {
      super(message);
    }
  }

  /** The value of {@code key} in a record of {@link #showJob} (up to the next space); empty when absent. */
  static Optional<String> field(String record, String key) {
    String needle = " " + key + "=";
    String padded = " " + record;
    int at = padded.indexOf(needle);
    if (at < 0) {
      return Optional.empty();
    }
    int from = at + needle.length();
    int to = padded.indexOf(' ', from);
    return Optional.of(padded.substring(from, to < 0 ? padded.length() : to));
  }
}
