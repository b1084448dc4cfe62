package io.sextant.api.trial;

import io.sextant.api.study.StudyService;
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
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/**
 * Ask/tell and reading trials: /api/v1/studies/{id}/... (analytics: analytics.AnalyticsController). Bodies are read
 * by {@link TrialService} (field-path errors); their typed shapes for OpenAPI are in {@link TrialBodies}.
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "trials")
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

  @io.swagger.v3.oas.annotations.Operation(operationId = "suggest")
  @PostMapping("/suggestions")
  TrialBodies.Suggestions suggest(@PathVariable long id,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(required = false, content = @Content(
          schema = @Schema(implementation = TrialBodies.SuggestRequest.class),
          examples = @ExampleObject(value = TrialBodies.SuggestRequest.EXAMPLE)))
      @RequestBody(required = false) Object body) {
    return new TrialBodies.Suggestions(metrics.suggest().record(() -> trials.suggest(id, body)));
  }

  @io.swagger.v3.oas.annotations.Operation(operationId = "enqueueTrial")
  @PostMapping("/trials")
  @org.springframework.web.bind.annotation.ResponseStatus(HttpStatus.CREATED) // so OpenAPI lists 201
  ResponseEntity<TrialDto> enqueue(@PathVariable long id,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
          schema = @Schema(implementation = TrialBodies.EnqueueRequest.class),
          examples = @ExampleObject(value = TrialBodies.EnqueueRequest.EXAMPLE)))
      @RequestBody Object body) {
    return ResponseEntity.status(HttpStatus.CREATED).body(trials.enqueue(id, body));
  }

  @io.swagger.v3.oas.annotations.Operation(operationId = "listTrials")
  @GetMapping("/trials")
  TrialService.Page list(@PathVariable long id,
      @io.swagger.v3.oas.annotations.Parameter(description = "only trials in this state", schema = @io.swagger.v3.oas.annotations.media.Schema(type = "string",
          allowableValues = {"WAITING", "RUNNING", "COMPLETED", "PRUNED", "FAILED", "INFEASIBLE"}))
      @RequestParam(required = false) String state,
      @io.swagger.v3.oas.annotations.Parameter(description = "cursor: the trials after this number (a page's next)") @RequestParam(defaultValue = "0")
      long after,
      @io.swagger.v3.oas.annotations.Parameter(description = "trials per page", schema = @io.swagger.v3.oas.annotations.media.Schema(type = "integer", format = "int32", minimum = "1", maximum = "" + TrialService.MAX_PAGE + "", defaultValue = "100"))
      @RequestParam(defaultValue = "100") int limit,
      @io.swagger.v3.oas.annotations.Parameter(description = "include each trial's intermediate measurements")
      @RequestParam(defaultValue = "true") boolean measurements) {
    return trials.list(id, state == null || state.isBlank() ? null : state, after, limit, measurements);
  }

  /** Every trial as a compact row (what charts need), up to 100,000 per request: see {@link TrialRows}. */
  @io.swagger.v3.oas.annotations.Operation(operationId = "listTrialsCompact")
  @GetMapping("/trials/compact")
  @ApiResponse(responseCode = "200", description = "a page of compact rows",
      content = @Content(mediaType = "application/json",
          schema = @Schema(implementation = TrialBodies.CompactTrials.class)))
  ResponseEntity<StreamingResponseBody> compact(@PathVariable long id,
      @io.swagger.v3.oas.annotations.Parameter(description = "cursor: the trials after this number (a page's next)",
          schema = @io.swagger.v3.oas.annotations.media.Schema(type = "integer", format = "int64", minimum = "0", defaultValue = "0"))
      @RequestParam(defaultValue = "0") long after,
      @io.swagger.v3.oas.annotations.Parameter(description = "rows per page", schema = @io.swagger.v3.oas.annotations.media.Schema(type = "integer", format = "int32", minimum = "1", maximum = "" + TrialRows.MAX_LIMIT + "", defaultValue = "100000"))
      @RequestParam(defaultValue = "100000") int limit) {
    TrialRows.check(after, limit);
    var study = studies.find(id);
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(os -> rows.write(study, after, limit, os));
  }

  @io.swagger.v3.oas.annotations.Operation(operationId = "getTrial")
  @GetMapping("/trials/{number}")
  TrialDto get(@PathVariable long id, @PathVariable long number) {
    return trials.get(id, number);
  }

  @io.swagger.v3.oas.annotations.Operation(operationId = "completeTrial")
  @PostMapping("/trials/{number}/complete")
  TrialDto complete(@PathVariable long id, @PathVariable long number,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
          schema = @Schema(implementation = TrialBodies.CompleteRequest.class),
          examples = @ExampleObject(value = TrialBodies.CompleteRequest.EXAMPLE)))
      @RequestBody Object body) {
    return trials.complete(id, number, body);
  }

  @io.swagger.v3.oas.annotations.Operation(operationId = "failTrial")
  @PostMapping("/trials/{number}/fail")
  TrialDto fail(@PathVariable long id, @PathVariable long number,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
          schema = @Schema(implementation = TrialBodies.FailRequest.class),
          examples = @ExampleObject(value = TrialBodies.FailRequest.EXAMPLE)))
      @RequestBody Object body) {
    return trials.fail(id, number, body);
  }

  /** A client's sign of life for a trial it got from /suggestions (see limits.heartbeatSeconds). */
  @io.swagger.v3.oas.annotations.Operation(operationId = "heartbeatTrial")
  @PostMapping("/trials/{number}/heartbeat")
  TrialBodies.Heartbeat heartbeat(@PathVariable long id, @PathVariable long number,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(required = false, content = @Content(
          schema = @Schema(implementation = TrialBodies.HeartbeatRequest.class),
          examples = @ExampleObject(value = TrialBodies.HeartbeatRequest.EXAMPLE)))
      @RequestBody(required = false) Object body) {
    Map<String, Object> m = trials.heartbeat(id, number, body);
    return new TrialBodies.Heartbeat(((Number) m.get("number")).longValue(), ((Number) m.get("attempt")).intValue(),
        (String) m.get("state"), (java.time.OffsetDateTime) m.get("leaseExpiresAt"));
  }

  /** The client's own early stop: the RUNNING trial becomes PRUNED ({@code {"reason"}} optional). */
  @io.swagger.v3.oas.annotations.Operation(operationId = "pruneTrial")
  @PostMapping("/trials/{number}/prune")
  TrialDto prune(@PathVariable long id, @PathVariable long number,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(required = false, content = @Content(
          schema = @Schema(implementation = TrialBodies.PruneRequest.class),
          examples = @ExampleObject(value = TrialBodies.PruneRequest.EXAMPLE)))
      @RequestBody(required = false) Object body) {
    return trials.prune(id, number, body);
  }

  @io.swagger.v3.oas.annotations.Operation(operationId = "measureTrial")
  @PostMapping("/trials/{number}/measurements")
  TrialBodies.MeasurementAnswer measure(@PathVariable long id, @PathVariable long number,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
          schema = @Schema(implementation = TrialBodies.MeasurementRequest.class),
          examples = @ExampleObject(value = TrialBodies.MeasurementRequest.EXAMPLE)))
      @RequestBody Object body) {
    return new TrialBodies.MeasurementAnswer(trials.measure(id, number, body));
  }
}
