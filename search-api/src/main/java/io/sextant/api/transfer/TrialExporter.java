package io.sextant.api.transfer;

import io.sextant.api.study.CompiledStudy;
import io.sextant.api.study.StudyDefinitions;
import io.sextant.api.study.StudyEntity;
import io.sextant.api.trial.TrialDto;
import io.sextant.api.trial.TrialMapper;
import io.sextant.api.trial.TrialRepository;
import io.sextant.engine.space.Parameter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Streams every trial of a study as CSV or JSON, a page at a time (memory does not grow with the study). */
@Component
public class TrialExporter {
  private static final int PAGE = 1000;
  private final TrialRepository trials;
  private final TrialMapper mapper;
  private final StudyDefinitions definitions;
  private final TransactionTemplate tx;
  private final JsonMapper out = JsonMapper.builder().findAndAddModules().build();

  public TrialExporter(TrialRepository trials, TrialMapper mapper, StudyDefinitions definitions,
      org.springframework.transaction.PlatformTransactionManager txm) {
    this.trials = trials;
    this.mapper = mapper;
    this.definitions = definitions;
    this.tx = new TransactionTemplate(txm);
    this.tx.setReadOnly(true);
  }

  /** Version tag of the JSON export; {@link StudyImporter} reads exactly this format. */
  public static final String FORMAT = "sextant-study/1";

  /**
   * The whole study as one JSON document that {@link StudyImporter} turns back into an identical study: the
   * definition, state, trial counter, designer state and every trial with its measurements.
   */
  public void json(StudyEntity study, OutputStream os) throws IOException {
    CompiledStudy c = definitions.compile(study);
    Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
    Map<String, Object> head = new java.util.LinkedHashMap<>();
    head.put("format", FORMAT);
    head.put("studyId", study.getId());
    head.put("study", definitions.shownBody(study));
    head.put("state", study.getState().name());
    if (study.stateReason() != null) {
      head.put("stateReason", study.stateReason());
    }
    head.put("nextNumber", study.getNextNumber());
    head.put("designerState", study.designerState() == null ? null : out.readTree(study.designerState()));
    head.put("createdAt", study.createdAt());
    head.put("updatedAt", study.updatedAt());
    String h = out.writeValueAsString(head);
    w.write(h, 0, h.length() - 1);
    w.write(",\"trials\":[");
    long after = 0;
    boolean first = true;
    while (true) {
      long a = after;
      List<TrialDto> page = tx.execute(s -> mapper.toDtos(trials.all(study.getId(), a, PAGE), c.objectiveMetrics(), true));
      for (TrialDto t : page) {
        if (!first) {
          w.write(',');
        }
        first = false;
        w.write(out.writeValueAsString(t));
      }
      if (page.size() < PAGE) {
        break;
      }
      after = page.getLast().number();
    }
    w.write("]}");
    w.flush();
  }

  public void csv(StudyEntity study, OutputStream os) throws IOException {
    CompiledStudy c = definitions.compile(study);
    List<String> params = c.spec().problem().space().parameters().stream().map(Parameter::name).toList();
    List<String> metrics = c.objectiveMetrics();
    Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
    StringBuilder h = new StringBuilder("number,state");
    params.forEach(p -> h.append(',').append(cell("params." + p)));
    metrics.forEach(m -> h.append(',').append(cell("values." + m)));
    h.append(",attempt,failure_reason,created_at,started_at,finished_at\n");
    w.write(h.toString());
    long after = 0;
    while (true) {
      long a = after;
      List<TrialDto> page = tx.execute(s -> mapper.toDtos(trials.all(study.getId(), a, PAGE), metrics, false));
      for (TrialDto t : page) {
        StringBuilder r = new StringBuilder().append(t.number()).append(',').append(t.state());
        for (String p : params) {
          r.append(',').append(cell(t.params().get(p)));
        }
        Map<String, Object> v = t.values() == null ? Map.of() : t.values();
        for (String m : metrics) {
          r.append(',').append(cell(v.get(m)));
        }
        String reason = t.failureReason() != null ? t.failureReason() : t.infeasibleReason();
        r.append(',').append(t.attempt()).append(',').append(cell(reason)).append(',').append(cell(t.createdAt()))
            .append(',').append(cell(t.startedAt())).append(',').append(cell(t.finishedAt())).append('\n');
        w.write(r.toString());
      }
      if (page.size() < PAGE) {
        break;
      }
      after = page.getLast().number();
    }
    w.flush();
  }

  /** RFC 4180 quoting; cells starting with = + - @ are prefixed with ' so spreadsheets do not run them. */
  static String cell(Object v) {
    if (v == null) {
      return "";
    }
    String s = v.toString();
    if (v instanceof String && !s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 && !isNumber(s)) {
      s = "'" + s;
    }
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }

  private static boolean isNumber(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
