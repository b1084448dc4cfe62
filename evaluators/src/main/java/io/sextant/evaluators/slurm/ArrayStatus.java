package io.sextant.evaluators.slurm;

import io.sextant.evaluators.json.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What {@code ./sextant slurm status JOB} shows: each array task's Slurm state, node and run time, beside the
 * executors registered with the label {@code slurm.job=JOB} (their state, slots in use, completed trials and failed
 * attempts). Pure: built from scontrol's records and the executors listing ({@code GET /api/v1/executors}).
 *
 * @param job the array's job id
 * @param tasks one row per task, by task id
 * @param executors the job's executors by task id (a task whose executor registered again has several)
 */
public record ArrayStatus(String job, List<Task> tasks, Map<Integer, List<Executor>> executors) {
  /** Hard cap on the task ids one pending record may expand to. */
  private static final int MAX_TASKS = 100_000;

  /** One array task as Slurm sees it. */
  public record Task(int id, String state, String node, String runTime) {}

  /** One executor of the job. */
  public record Executor(String id, String state, long slots, long slotsInUse, long trialsCompleted,
      long attemptsFailed) {}

  /**
   * Reads scontrol's records of an array job (see {@link Slurm#showJob}): started tasks have a record each, the
   * pending ones share one whose ArrayTaskId is a list of ranges ({@code 4-9}, {@code 1,3,5-7%2}).
   */
  static List<Task> tasks(List<String> records) {
    TreeMap<Integer, Task> byId = new TreeMap<>();
    for (String r : records) {
      String state = Slurm.field(r, "JobState").orElse("UNKNOWN");
      String node = Slurm.field(r, "NodeList").filter(n -> !n.isEmpty() && !n.equals("(null)")).orElse("-");
      String runTime = Slurm.field(r, "RunTime").orElse("-");
      Optional<String> ids = Slurm.field(r, "ArrayTaskId");
      if (ids.isEmpty()) { // not an array: a single task 0
        byId.put(0, new Task(0, state, node, runTime));
        continue;
      }
      for (int id : taskIds(ids.get())) {
        byId.putIfAbsent(id, new Task(id, state, node, state.equals("PENDING") ? "-" : runTime));
      }
    }
    return List.copyOf(byId.values());
  }

  /** Expands an ArrayTaskId value: {@code 7}, {@code 4-9}, {@code 1,3,5-7}, with an optional {@code %N} throttle
   * and {@code :step}. */
  static List<Integer> taskIds(String spec) {
    String s = spec;
    int pct = s.indexOf('%');
    if (pct >= 0) {
      s = s.substring(0, pct);
    }
    List<Integer> out = new ArrayList<>();
    for (String part : s.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      int step = 1;
      int colon = part.indexOf(':');
      if (colon >= 0) {
        step = Math.max(1, Integer.parseInt(part.substring(colon + 1)));
        part = part.substring(0, colon);
      }
      int dash = part.indexOf('-');
      int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
      int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
      for (int i = from; i <= to && out.size() < MAX_TASKS; i += step) {
        out.add(i);
      }
    }
    return out;
  }

  /** The executors of {@code job} in a {@code GET /api/v1/executors} answer, by their {@code slurm.task} label. */
  static Map<Integer, List<Executor>> executors(String job, String executorsJson) {
    Map<Integer, List<Executor>> out = new TreeMap<>();
    Map<String, Object> answer = Json.object(Json.parse(executorsJson), "answer");
    for (Object o : Json.array(answer.get("executors"), "executors")) {
      Map<String, Object> e = Json.object(o, "executor");
      Object labelsRaw = e.get("labels");
      if (!(labelsRaw instanceof Map<?, ?> labels) || !job.equals(labels.get("slurm.job"))) {
        continue;
      }
      int task;
      try {
        task = Integer.parseInt(String.valueOf(labels.get("slurm.task")));
      } catch (NumberFormatException ex) {
        continue;
      }
      out.computeIfAbsent(task, k -> new ArrayList<>()).add(new Executor(
          String.valueOf(e.get("id")), String.valueOf(e.get("state")), number(e.get("slots")),
          number(e.get("slotsInUse")), number(e.get("trialsCompleted")), number(e.get("attemptsFailed"))));
    }
    out.values().forEach(l -> l.sort(Comparator.comparing((Executor x) -> !x.state().equals("ACTIVE"))));
    return out;
  }

  private static long number(Object v) {
    return v instanceof Number n ? n.longValue() : 0;
  }

  /**
   * The table: one line per task (and per further executor of a task), then a summary line. {@code executorsNote}
   * replaces the executor columns when the server could not be asked (empty: it was).
   */
  public String render(Optional<String> executorsNote) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"TASK", "SLURM", "NODE", "TIME", "EXECUTOR", "STATE", "SLOTS", "COMPLETED", "FAILED"});
    int running = 0;
    int pending = 0;
    int ended = 0;
    int active = 0;
    int lost = 0;
    long completed = 0;
    long failed = 0;
    for (Task t : tasks) {
      switch (t.state()) {
        case "RUNNING", "COMPLETING", "CONFIGURING", "SUSPENDED" -> running++;
        case "PENDING", "REQUEUED" -> pending++;
        default -> ended++;
      }
      List<Executor> xs = executors.getOrDefault(t.id(), List.of());
      if (xs.isEmpty()) {
        rows.add(new String[] {Integer.toString(t.id()), t.state(), t.node(), t.runTime(), "-", "", "", "", ""});
      }
      for (int i = 0; i < xs.size(); i++) {
        Executor x = xs.get(i);
        rows.add(new String[] {i == 0 ? Integer.toString(t.id()) : "", i == 0 ? t.state() : "",
            i == 0 ? t.node() : "", i == 0 ? t.runTime() : "", x.id().length() > 8 ? x.id().substring(0, 8) : x.id(),
            x.state(), x.slotsInUse() + "/" + x.slots(), Long.toString(x.trialsCompleted()),
            Long.toString(x.attemptsFailed())});
        if (x.state().equals("ACTIVE")) {
          active++;
        } else {
          lost++;
        }
        completed += x.trialsCompleted();
        failed += x.attemptsFailed();
      }
    }
    int[] width = new int[rows.getFirst().length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        line.append(String.format("%-" + (width[i] + 2) + "s", r[i]));
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
    b.append("job ").append(job).append(": ").append(tasks.size()).append(" task(s): ").append(running)
        .append(" running, ").append(pending).append(" pending, ").append(ended).append(" ended; ");
    if (executorsNote.isPresent()) {
      b.append("executors: ").append(executorsNote.get()).append('\n');
    } else {
      b.append(active).append(" executor(s) active, ").append(lost).append(" lost; ").append(completed)
          .append(" trial(s) completed, ").append(failed)
          .append(" failed attempt(s) by the executors still registered\n");
    }
    return b.toString();
  }
}
