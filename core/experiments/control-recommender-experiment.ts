import type { Principal } from '../accounts/account.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { Clock } from '../ports/runtime.js';
import type { RecommenderExperiment } from './recommender-experiment.js';
import type { RecommenderExperimentRepository } from './recommender-experiment-ports.js';

/**
 * The experiment with this id if the caller may manage it: admins any, a creator their own.
 * Another creator's answers exactly like a missing one.
 *
 * @example
 * const experiment = await findManagedRecommenderExperiment({ experiments }, principal, id);
 */
export async function findManagedRecommenderExperiment(
  deps: { experiments: Pick<RecommenderExperimentRepository, 'findById'> },
  principal: Principal,
  id: string,
): Promise<RecommenderExperiment> {
  const experiment = await deps.experiments.findById(id);
  const isManaged = experiment && (principal.role === 'admin' || (principal.id !== null && principal.id === experiment.createdBy));
  if (!experiment || !isManaged) throw new NotFoundError('recommender_experiment_not_found', `No recommender experiment with id ${id}.`);
  return experiment;
}

/**
 * Starts a draft (its followers get their variants from the next request on) or stops a running
 * experiment (everyone is served production again; its results stay). One experiment runs at a
 * time; a stopped one cannot be restarted (create a new one). Audited.
 *
 * @example
 * const started = await controlRecommenderExperiment({ experiments, clock }, principal, id, 'start');
 */
export async function controlRecommenderExperiment(
  deps: { experiments: Pick<RecommenderExperimentRepository, 'findById' | 'start' | 'stop'>; clock: Clock },
  principal: Principal,
  id: string,
  command: 'start' | 'stop',
): Promise<RecommenderExperiment> {
  const experiment = await findManagedRecommenderExperiment(deps, principal, id);
  const audit = { actor: principal.actor, action: `recommender_experiment.${command}`, details: { name: experiment.name, from: experiment.status } };
  if (command === 'start') {
    const outcome = await deps.experiments.start(id, deps.clock.now(), audit);
    if (outcome === 'another_running') throw new ConflictError('recommender_experiment_running', 'Another recommender experiment is running; stop it before starting this one (followers can be in one at a time).');
    if (outcome === 'not_a_draft') throw new ConflictError('recommender_experiment_not_draft', `This experiment is ${experiment.status}; only a draft can be started. Create a new experiment to run it again.`);
  } else if (!(await deps.experiments.stop(id, deps.clock.now(), audit))) {
    throw new ConflictError('recommender_experiment_not_running', `This experiment is ${experiment.status}, not running; there is nothing to stop.`);
  }
  return (await deps.experiments.findById(id))!;
}
