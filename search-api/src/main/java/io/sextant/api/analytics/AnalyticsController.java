package io.sextant.api.analytics;

import io.sextant.api.trial.TrialDto;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** What is computed from many trials of a study: /api/v1/studies/{id}/best, /pareto, /importance, /arms. */
@io.swagger.v3.oas.annotations.tags.Tag(name = "analytics")
@RestController
@RequestMapping("/api/v1/studies/{id}")
class AnalyticsController {
  private final FrontAnalytics front;
  private final ImportanceAnalytics importance;
  private final ArmsAnalytics arms;

  AnalyticsController(FrontAnalytics front, ImportanceAnalytics importance, ArmsAnalytics arms) {
    this.front = front;
    this.importance = importance;
    this.arms = arms;
  }

  @GetMapping("/importance")
  AnalyticsBodies.Importance importance(@PathVariable long id, @RequestParam(required = false) String objective) {
    return importance.importance(id, objective);
  }

  @GetMapping("/best")
  TrialDto best(@PathVariable long id) {
    return front.best(id);
  }

  @GetMapping("/pareto")
  AnalyticsBodies.Pareto pareto(@PathVariable long id, @RequestParam(defaultValue = "false") boolean ranks) {
    return front.pareto(id, ranks);
  }

  @GetMapping("/arms")
  AnalyticsBodies.Arms arms(@PathVariable long id, @RequestParam(required = false) String optimalMetric) {
    return arms.arms(id, optimalMetric);
  }
}
