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
@RestController
class ProgramController {
  private final ProgramInsights insights;

  ProgramController(ProgramInsights insights) {
    this.insights = insights;
  }

  @GetMapping("/api/v1/studies/{id}/programs")
  ProgramBodies.Programs programs(@PathVariable long id, @RequestParam(defaultValue = "5") int top,
      @RequestParam(required = false) Long trial) {
    return insights.programs(id, top, trial);
  }
}
