package io.sextant.engine.bandit;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * Statistics of one arm.
 *
 * @param params the arm's assignment
 * @param pulls usable pulls: COMPLETED trials with a finite objective value
 * @param pending WAITING or RUNNING trials on this arm
 * @param meanValue mean objective value over the pulls (empty without pulls), in the objective's own units
 * @param cumulativeValue sum of the objective values (0 without pulls)
 * @param meanCost mean cost (value for MINIMIZE, minus value for MAXIMIZE; lower is better), empty without pulls
 * @param meanRelativeCost mean over the pulls of cost / instance-optimal cost on the same instance, when the
 *     instance-optimal cost is known for every pull of the study (and costs are positive); else empty
 */
public record ArmStat(
    Map<String, Object> params, long pulls, long pending, OptionalDouble meanValue, double cumulativeValue,
    OptionalDouble meanCost, OptionalDouble meanRelativeCost) {
  public ArmStat {
    params = Map.copyOf(params);
  }
}
