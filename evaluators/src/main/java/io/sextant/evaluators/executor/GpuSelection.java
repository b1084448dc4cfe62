package io.sextant.evaluators.executor;

import java.util.List;

/** Which GPUs an executor node offers ({@code --gpus}). */
public sealed interface GpuSelection {
  /** Every device nvidia-smi reports; none when nvidia-smi is absent or fails. */
  record Auto() implements GpuSelection {}

  /** No GPUs, even when the machine has some. */
  record None() implements GpuSelection {}

  /** Exactly these device indices (names and memory taken from nvidia-smi when it knows them). */
  record Indices(List<Integer> indices) implements GpuSelection {
    public Indices {
      indices = List.copyOf(indices);
    }
  }
}
