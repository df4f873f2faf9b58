/**
 * A project as the renderer sends it to the backend: each finished run's weights left out
 * (`weights: ''`), since the backend holds them already (main/runs/weights.ts puts them back).
 * This keeps a save of a model with many megabytes of weights a small message.
 */
import type { Project } from './schema.js';

/** `project` with every run's weights (and live-preview weights) left out. */
export function withoutRunWeights(project: Project): Project {
  return {
    ...project,
    runs: project.runs.map((run) => ({
      ...run,
      outcome: run.outcome ? { ...run.outcome, weights: '' } : undefined,
      progress: run.progress ? { ...run.progress, weights: undefined } : undefined,
    })),
  };
}
