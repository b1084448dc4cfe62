package io.sextant.api.program;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/studies/{id}/programs?top=5[&trial=N]}: a program-evolution study's best programs with their
 * families, the count per family among them, and the lineage of the best program (or of trial N). See
 * {@link ProgramInsights}.
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "programs")
@RestController
class ProgramController {
  private final ProgramInsights insights;

  ProgramController(ProgramInsights insights) {
    this.insights = insights;
  }

  @io.swagger.v3.oas.annotations.Operation(operationId = "programs")
  @GetMapping("/api/v1/studies/{id}/programs")
  ProgramBodies.Programs programs(@PathVariable long id,
      @io.swagger.v3.oas.annotations.Parameter(description = "how many of the best programs", schema = @io.swagger.v3.oas.annotations.media.Schema(type = "integer", format = "int32", minimum = "1", maximum = "" + ProgramInsights.MAX_TOP + "", defaultValue = "5"))
      @RequestParam(defaultValue = "5") int top,
      @io.swagger.v3.oas.annotations.Parameter(description = "the trial whose lineage to trace (default: the best)")
      @RequestParam(required = false) Long trial) {
    return insights.programs(id, top, trial);
  }
}
