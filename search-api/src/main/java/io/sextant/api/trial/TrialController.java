package io.sextant.api.trial;

import io.sextant.api.study.StudyService;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** Ask/tell and reading trials: /api/v1/studies/{id}/... (analytics: analytics.AnalyticsController) */
@RestController
@RequestMapping("/api/v1/studies/{id}")
class TrialController {
  private final TrialService trials;
  private final StudyService studies;
  private final io.sextant.api.common.Metrics metrics;
  private final TrialRows rows;

  TrialController(TrialService trials, StudyService studies, io.sextant.api.common.Metrics metrics, TrialRows rows) {
    this.rows = rows;
    this.metrics = metrics;
    this.trials = trials;
    this.studies = studies;
  }

  @PostMapping("/suggestions")
  Map<String, List<TrialDto>> suggest(@PathVariable long id, @RequestBody(required = false) Object body) {
    return Map.of("trials", metrics.suggest().record(() -> trials.suggest(id, body)));
  }

  @PostMapping("/trials")
  @org.springframework.web.bind.annotation.ResponseStatus(HttpStatus.CREATED) // so OpenAPI lists 201
  ResponseEntity<TrialDto> enqueue(@PathVariable long id, @RequestBody Object body) {
    return ResponseEntity.status(HttpStatus.CREATED).body(trials.enqueue(id, body));
  }

  @GetMapping("/trials")
  TrialService.Page list(@PathVariable long id, @RequestParam(required = false) String state,
      @RequestParam(defaultValue = "0") long after, @RequestParam(defaultValue = "100") int limit,
      @RequestParam(defaultValue = "true") boolean measurements) {
    return trials.list(id, state == null || state.isBlank() ? null : state, after, limit, measurements);
  }

  /** Every trial as a compact row (what charts need), up to 100,000 per request: see {@link TrialRows}. */
  @GetMapping("/trials/compact")
  ResponseEntity<StreamingResponseBody> compact(@PathVariable long id, @RequestParam(defaultValue = "0") long after,
      @RequestParam(defaultValue = "100000") int limit) {
    TrialRows.check(after, limit);
    var study = studies.find(id);
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(os -> rows.write(study, after, limit, os));
  }

  @GetMapping("/trials/{number}")
  TrialDto get(@PathVariable long id, @PathVariable long number) {
    return trials.get(id, number);
  }

  @PostMapping("/trials/{number}/complete")
  TrialDto complete(@PathVariable long id, @PathVariable long number, @RequestBody Object body) {
    return trials.complete(id, number, body);
  }

  @PostMapping("/trials/{number}/fail")
  TrialDto fail(@PathVariable long id, @PathVariable long number, @RequestBody Object body) {
    return trials.fail(id, number, body);
  }

  /** A client's sign of life for a trial it got from /suggestions (see limits.heartbeatSeconds). */
  @PostMapping("/trials/{number}/heartbeat")
  Map<String, Object> heartbeat(@PathVariable long id, @PathVariable long number,
      @RequestBody(required = false) Object body) {
    return trials.heartbeat(id, number, body);
  }

  /** The client's own early stop: the RUNNING trial becomes PRUNED ({@code {"reason"}} optional). */
  @PostMapping("/trials/{number}/prune")
  TrialDto prune(@PathVariable long id, @PathVariable long number, @RequestBody(required = false) Object body) {
    return trials.prune(id, number, body);
  }

  @PostMapping("/trials/{number}/measurements")
  Map<String, Boolean> measure(@PathVariable long id, @PathVariable long number, @RequestBody Object body) {
    return Map.of("stop", trials.measure(id, number, body));
  }
}
