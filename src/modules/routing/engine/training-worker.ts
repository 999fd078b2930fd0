/**
 * Trains the local classifier and the tier model in a worker thread (`training.worker.ts`), so
 * training (0.5–1 s on an idle core, several seconds on a busy one) never blocks the event loop:
 * at boot and after every category edit or correction the gateway keeps answering with the models
 * it has until the new ones are ready. The worker runs the same `trainStates` as the main thread,
 * so the result is identical to training in place.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

import type { TrainedStates, TrainingJob } from './classifier-registry';

/** Longer than any training on a loaded box; a stuck worker is ended and the caller falls back. */
const TRAINING_TIMEOUT_MS = 120_000;

/** The worker entry beside this file: compiled in `dist/`, TypeScript under Jest and the scripts. */
function workerEntry(): { file: string; execArgv: string[] } {
  if (__filename.endsWith('.js')) return { file: join(__dirname, 'training.worker.js'), execArgv: [] };
  const register = require.resolve('tsx/cjs');
  return { file: join(__dirname, 'training.worker.ts'), execArgv: ['-r', register] };
}

/** Runs one training job in a fresh worker thread and resolves with the trained models. */
export function trainInWorker(job: TrainingJob): Promise<TrainedStates> {
  const { file, execArgv } = workerEntry();
  return new Promise<TrainedStates>((resolve, reject) => {
    const worker = new Worker(file, { workerData: job, execArgv });
    let settled = false;
    const finish = (error: Error | null, states?: TrainedStates): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        void worker.terminate();
        reject(error);
      } else resolve(states as TrainedStates);
    };
    const timer = setTimeout(
      () => finish(new Error(`routing model training took longer than ${TRAINING_TIMEOUT_MS} ms`)),
      TRAINING_TIMEOUT_MS,
    );
    worker.once('message', (states: TrainedStates) => finish(null, states));
    worker.once('error', (error) => finish(error));
    worker.once('exit', (code) => finish(new Error(`the routing training worker exited with code ${code}`)));
  });
}
