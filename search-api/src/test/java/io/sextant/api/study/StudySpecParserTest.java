package io.sextant.api.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.api.common.ApiException;
import io.sextant.engine.designer.ConfigException;
import io.sextant.engine.designer.Designers;
import io.sextant.engine.space.SpaceException;
import io.sextant.evaluators.spi.Evaluators;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * Study-body validation is pure: {@link StudySpecParser} with the installed designers and evaluators, no Spring
 * context, no database. Every refusal is an {@link ApiException} (which the API answers as a 400 problem) naming the
 * field. The HTTP side (problem+json, nothing changed) is {@code BadInputTest}'s, for a few representative bodies.
 */
class StudySpecParserTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final StudySpecParser parser = new StudySpecParser(Designers.load(), Evaluators.load(), Map::of);

  private static Object body(String json) {
    return JSON.readValue(json, Object.class);
  }

  private static String space(String param) {
    return "{\"name\":\"n\",\"space\":{\"parameters\":[" + param + "]},\"objectives\":[{\"metric\":\"y\"}]}";
  }

  private static final String PARAM = "{\"name\":\"x\",\"type\":\"float\",\"low\":0,\"high\":1}";

  /** A valid body with {@code extra} (raw JSON members) added. */
  private static String with(String extra) {
    return "{\"name\":\"n\",\"space\":{\"parameters\":[" + PARAM + "]},\"objectives\":[{\"metric\":\"y\"}]," + extra
        + "}";
  }

  record Case(String what, String body, String field) {}

  private static List<Case> cases() {
    List<Case> c = new ArrayList<>();
    c.add(new Case("low >= high", space("{\"name\":\"a\",\"type\":\"float\",\"low\":1,\"high\":1}"),
        "space.parameters[0].low"));
    c.add(new Case("log with low <= 0", space("{\"name\":\"a\",\"type\":\"float\",\"low\":0,\"high\":1,\"log\":true}"),
        "space.parameters[0].low"));
    c.add(new Case("int low >= high", space("{\"name\":\"a\",\"type\":\"int\",\"low\":5,\"high\":2}"),
        "space.parameters[0].low"));
    c.add(new Case("empty choices", space("{\"name\":\"a\",\"type\":\"categorical\",\"choices\":[]}"),
        "space.parameters[0].choices"));
    c.add(new Case("duplicate names", space("{\"name\":\"a\",\"type\":\"float\",\"low\":0,\"high\":1},"
        + "{\"name\":\"a\",\"type\":\"int\",\"low\":0,\"high\":1}"), "space.parameters[1].name"));
    c.add(new Case("unknown type", space("{\"name\":\"a\",\"type\":\"complex\"}"), "space.parameters[0].type"));
    c.add(new Case("condition on unknown parent",
        space("{\"name\":\"a\",\"type\":\"float\",\"low\":0,\"high\":1,\"when\":{\"zzz\":[1]}}"),
        "space.parameters[0].when"));
    c.add(new Case("non-finite bound", space("{\"name\":\"a\",\"type\":\"float\",\"low\":0,\"high\":\"Infinity\"}"),
        "space.parameters[0].high"));
    c.add(new Case("no objectives", "{\"name\":\"x1\",\"objectives\":[]}", "objectives"));
    c.add(new Case("bad direction", "{\"name\":\"x2\",\"objectives\":[{\"metric\":\"y\",\"direction\":\"UP\"}]}",
        "objectives[0].direction"));
    c.add(new Case("unknown algorithm", with("\"algorithm\":{\"name\":\"magic\"}"), "algorithm.name"));
    c.add(new Case("unknown algorithm option", with("\"algorithm\":{\"name\":\"random\",\"options\":{\"sed\":1}}"),
        "algorithm.options.sed"));
    c.add(new Case("unknown evaluator", with("\"evaluator\":{\"name\":\"nope\"}"), "evaluator.name"));
    c.add(new Case("evaluator cannot handle the space",
        "{\"name\":\"x6\",\"objectives\":[{\"metric\":\"y\"}],\"evaluator\":{\"name\":\"branin\"}}", "space"));
    c.add(new Case("maxTrials <= 0", with("\"limits\":{\"maxTrials\":0}"), "limits.maxTrials"));
    c.add(new Case("unknown field", with("\"colour\":\"red\""), "colour"));
    c.add(new Case("missing name", "{\"objectives\":[{\"metric\":\"y\"}]}", "name"));
    c.add(new Case("heartbeatSeconds 0", with("\"limits\":{\"heartbeatSeconds\":0}"), "limits.heartbeatSeconds"));
    c.add(new Case("heartbeatSeconds over a week", with("\"limits\":{\"heartbeatSeconds\":604801}"),
        "limits.heartbeatSeconds"));
    c.add(new Case("heartbeatSeconds not a number", with("\"limits\":{\"heartbeatSeconds\":\"1m\"}"),
        "limits.heartbeatSeconds"));
    c.add(new Case("maxFailedTrials 0", with("\"limits\":{\"maxFailedTrials\":0}"), "limits.maxFailedTrials"));
    c.add(new Case("maxFailedTrials too large", with("\"limits\":{\"maxFailedTrials\":1000000001}"),
        "limits.maxFailedTrials"));
    c.add(new Case("no space", "{\"name\":\"x14\",\"objectives\":[{\"metric\":\"y\"}]}", "space"));
    c.add(new Case("empty space",
        "{\"name\":\"x15\",\"space\":{\"parameters\":[]},\"objectives\":[{\"metric\":\"y\"}]}", "space"));
    c.add(new Case("gpus out of range", with("\"resources\":{\"gpus\":65}"), "resources.gpus"));
    c.add(new Case("label not a string", with("\"resources\":{\"labels\":{\"zone\":1}}"), "resources.labels.zone"));
    c.add(new Case("unknown resource", with("\"resources\":{\"cpus\":2}"), "resources.cpus"));
    for (String pool : List.of("\"\"", "\" \"", "\"a b\"", "\"-x\"", "\"_x\"", "\"" + "p".repeat(65) + "\"",
        "\"a/b\"", "\"\\u00fc\"", "7", "[\"a\"]", "{\"name\":\"a\"}")) {
      c.add(new Case("pool " + pool, with("\"resources\":{\"pool\":" + pool + "}"), "resources.pool"));
    }
    return c;
  }

  @Test
  void everyBadBodyIsRefusedNamingTheField() {
    List<String> failures = new ArrayList<>();
    for (Case c : cases()) {
      String field;
      try {
        parser.parse(body(c.body()));
        failures.add(c.what() + ": accepted");
        continue;
      } catch (ApiException e) {
        field = e.status() == HttpStatus.BAD_REQUEST ? e.field().orElse(null) : String.valueOf(e.status());
      } catch (SpaceException e) { // the space's own checks: the API answers these 400 at e.field() too
        field = e.field();
      } catch (ConfigException e) {
        field = e.field();
      }
      if (!c.field().equals(field)) {
        failures.add(c.what() + ": refused at " + field + " instead of " + c.field());
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void thePoolIsOptionalAndKeptExactly() {
    StudySpec none = parser.parse(body(with("\"resources\":{\"gpus\":1}")));
    assertThat(none.resources().pool()).isEmpty();
    assertThat(none.resources().toMap()).doesNotContainKey("pool"); // stored and shown as before pools existed
    assertThat(parser.parse(body(with("\"evaluator\":{\"name\":\"noop\"}"))).resources())
        .isEqualTo(StudySpec.Resources.NONE);
    for (String ok : List.of("a", "7", "GPU_a100.eu-1", "p".repeat(64))) {
      StudySpec s = parser.parse(body(with("\"resources\":{\"pool\":\"" + ok + "\",\"labels\":{\"zone\":\"a\"}}")));
      assertThat(s.resources().pool()).contains(ok);
      Map<String, Object> stored = new LinkedHashMap<>(s.resources().toMap());
      assertThat(stored).containsEntry("pool", ok).containsEntry("labels", Map.of("zone", "a"));
      // what is stored reads back to the same resources (export, import, restart)
      Map<String, Object> again = new LinkedHashMap<>((Map<String, Object>) body(with("\"x\":0")));
      again.remove("x");
      again.put("resources", stored);
      assertThat(parser.parseStored(again).resources()).isEqualTo(s.resources());
    }
    assertThatThrownBy(() -> parser.parse(body(with("\"resources\":{\"pool\":\"Team A\"}"))))
        .isInstanceOf(ApiException.class).hasMessageContaining("resources.pool");
  }
}
