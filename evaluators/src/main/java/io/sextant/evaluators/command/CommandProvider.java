package io.sextant.evaluators.command;

import io.sextant.engine.designer.OptionSpec;
import io.sextant.engine.study.StudyProblem;
import io.sextant.evaluators.spi.Evaluator;
import io.sextant.evaluators.spi.EvaluatorProvider;
import java.util.List;
import java.util.Map;

/**
 * The {@code command} evaluator: runs an executable once per trial attempt, in any language.
 *
 * <p>Input. The trial's parameters are written as a JSON object to {@code params.json} in the attempt's work
 * directory, whose path is in {@code SEXTANT_PARAMS_FILE}, and exported as {@code SEXTANT_PARAM_<NAME>} variables
 * ({@link CommandRun#paramVariables}). Also set: {@code SEXTANT_TRIAL_NUMBER}, {@code SEXTANT_OBJECTIVES} (objective
 * metric names, comma-separated, in objective order), {@code SEXTANT_WORK_DIR}, {@code SEXTANT_DEADLINE} (ISO-8601
 * instant) and {@code CUDA_VISIBLE_DEVICES}: the trial's GPU indices joined by commas, or the empty string when it
 * has none, so a CPU trial on a GPU machine sees no GPU instead of grabbing device 0. Standard input is empty.
 *
 * <p>Output. Each standard output line that is a JSON object with {@code "values"} is a metrics line:
 * {@code {"step": 10, "values": {"loss": 0.5}}} is an intermediate measurement (reported to the server; when it
 * answers stop, the process tree is killed at once), {@code {"values": {"loss": 0.4}}} the final metrics (the last
 * such line wins). Values are numbers, or {@code NaN}/{@code Infinity}/{@code -Infinity} as bare tokens or strings.
 * Other lines are ignored (the last ones are kept for the failure reason when stderr is empty). A metrics line that
 * breaks these rules fails the attempt.
 *
 * <p>Outcome. Exit status 0 with final metrics completes the attempt. A non-zero exit, missing final metrics, a bad
 * metrics line or a timeout (the smaller of {@code timeoutSeconds} and the attempt's deadline) fails it with the
 * tail of standard error as the reason. On stop, timeout, cancellation or interrupt the whole process tree is
 * killed (SIGKILL; descendants are tracked while the command runs, so processes that escaped their parent are
 * killed too); processes left behind by a command that exited are killed as well.
 *
 * <p>Thread-safe: every call runs its own process.
 */
public final class CommandProvider implements EvaluatorProvider {
  @Override
  public String name() {
    return "command";
  }

  @Override
  public String description() {
    return "Runs an executable per trial (any language): parameters as a JSON file (SEXTANT_PARAMS_FILE) and"
        + " SEXTANT_PARAM_<NAME> variables, CUDA_VISIBLE_DEVICES set to the trial's GPUs; reads JSON lines from"
        + " stdout: {\"step\": n, \"values\": {...}} intermediate, {\"values\": {...}} final";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.of(CommandConfig.COMMAND, "array|string", null,
            "required: the program and its arguments, e.g. [\"python3\", \"train.py\"]; a string is run with"
                + " /bin/sh -c"),
        OptionSpec.of(CommandConfig.WORKING_DIRECTORY, "string", null,
            "directory to run in (relative: to the executor's directory); default: the attempt's work directory"),
        OptionSpec.of(CommandConfig.ENV, "object", null, "extra environment variables, name to value"),
        OptionSpec.of(CommandConfig.TIMEOUT_SECONDS, "number", null,
            "longest a run may take, in seconds (the attempt's deadline applies too)"),
        OptionSpec.of(CommandConfig.STDERR_TAIL_BYTES, "integer", (long) CommandConfig.DEFAULT_STDERR_TAIL_BYTES,
            "trailing bytes of stderr kept for the failure reason (0 to 1048576; a failure reason has at most"
                + " 10000 characters)"),
        OptionSpec.of(CommandConfig.GPUS, "integer", 0L,
            "GPUs per trial: the executor node assigns that many free devices and sets CUDA_VISIBLE_DEVICES"));
  }

  /** Runs the study's programs: only for users an admin granted the command capability, on executors allowing it. */
  @Override
  public boolean runsPrograms() {
    return true;
  }

  /** Accepts any problem; validates the config ({@link CommandConfig#parse}). */
  @Override
  public Evaluator create(StudyProblem problem, Map<String, Object> config) {
    CommandConfig c = CommandConfig.parse(config);
    return (params, context) -> new CommandRun(c, params, context).run();
  }
}
