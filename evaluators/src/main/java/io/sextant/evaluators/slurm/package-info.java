/**
 * Executors on Slurm: {@code ./sextant slurm submit} writes and submits a job array whose tasks each run one executor
 * node ({@link io.sextant.evaluators.slurm.BatchScript}), {@code ./sextant slurm status} shows the array's tasks with
 * their executors ({@link io.sextant.evaluators.slurm.ArrayStatus}). Entry point:
 * {@link io.sextant.evaluators.slurm.SlurmMain}.
 */
package io.sextant.evaluators.slurm;
