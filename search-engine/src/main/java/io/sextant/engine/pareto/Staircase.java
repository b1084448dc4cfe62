package io.sextant.engine.pareto;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * An incrementally built 2-D non-dominated front (minimization) in a balanced tree, keyed by the first objective
 * (second objective strictly decreasing along the keys), with the area it dominates inside the reference box kept
 * up to date. {@link #add} costs O(log n) amortized. Not thread-safe (used inside one computation).
 */
final class Staircase {
  private final TreeMap<Double, Double> front = new TreeMap<>();
  private final double rx;
  private final double ry;
  private double area;

  Staircase(double rx, double ry) {
    this.rx = rx;
    this.ry = ry;
  }

  double area() {
    return area;
  }

  int size() {
    return front.size();
  }

  /**
   * Adds a point strictly inside the reference box. Returns false (and changes nothing) when an existing point
   * weakly dominates it; otherwise removes the points it dominates and adds the newly dominated area.
   */
  boolean add(double x, double y) {
    x += 0.0; // fold -0.0 into 0.0: TreeMap orders them apart
    Map.Entry<Double, Double> floor = front.floorEntry(x);
    if (floor != null && floor.getValue() <= y) {
      return false;
    }
    Map.Entry<Double, Double> lower = front.lowerEntry(x);
    double top = lower == null ? ry : lower.getValue();
    double curX = x;
    double added = 0.0;
    boolean bounded = false;
    Iterator<Map.Entry<Double, Double>> it = front.tailMap(x, true).entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Double, Double> e = it.next();
      added += (e.getKey() - curX) * (top - y);
      if (e.getValue() < y) {
        bounded = true;
        break;
      }
      top = e.getValue();
      curX = e.getKey();
      it.remove();
    }
    if (!bounded) {
      added += (rx - curX) * (top - y);
    }
    front.put(x, y);
    area += added;
    return true;
  }
}
