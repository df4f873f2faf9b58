/**
 * Projects without their weights on the wire. A run's trained weights can be tens of megabytes
 * (base64 in the project), and the backend already holds them: the run manager keeps every run it
 * trained or adopted from an opened project. So the renderer sends a project whose runs carry
 * `weights: ''` (shared/project/lean.ts) and the backend puts its own copy back before saving.
 */
import { StudioError } from '../../shared/ipc/contract.js';
import type { Project } from '../../shared/project/schema.js';
import type { RunRecord } from '../../shared/runs/results.js';

/** The backend's view of its runs: what `withRunWeights` needs from the run manager. */
export interface RunLookup {
  get(id: string): RunRecord;
}

/**
 * `project` with each run's left-out weights (`''`) filled in from the runs the backend holds.
 * Throws 'MissingWeights' for a run whose weights were left out but that the backend does not know.
 */
export function withRunWeights(project: Project, runs: RunLookup): Project {
  if (!project.runs.some((r) => r.outcome?.weights === '')) return project;
  return {
    ...project,
    runs: project.runs.map((run) => {
      if (!run.outcome || run.outcome.weights !== '') return run;
      let held: RunRecord | null = null;
      try {
        held = runs.get(run.id);
      } catch {
        held = null;
      }
      const weights = held?.outcome?.weights;
      if (!weights) {
        throw new StudioError('MissingWeights', `run ${run.id}: its weights were left out of the request and the studio does not hold them; reload the project`);
      }
      return { ...run, outcome: { ...run.outcome, weights } };
    }),
  };
}
