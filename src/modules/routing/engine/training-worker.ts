/**
 * Trains the local classifier and the tier model in a child process (`training.worker.ts`), so
 * training (0.5–1 s on an idle core, several seconds on a busy one) never blocks the event loop:
 * at boot and after every category edit or correction the gateway keeps answering with the models
 * it has until the new ones are ready. The child runs the same `trainStates` as the main thread,
 * so the result is identical to training in place.
 *
 * A process rather than a worker thread: training reads the shipped examples (the corpus, a few MB
 * of objects) and builds feature maps of a few hundred MB at its peak; a worker thread's memory
 * stays in the gateway's resident set after it ends (≈ 55–70 MB per training, growing with every
 * retrain), a child's is returned to the system when it exits. Only the trained models (typed
 * arrays and maps, V8-serialised over the IPC channel) come back.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import type { TrainedStates, TrainingJob } from './classifier-registry';
import { ownTypedArrays } from './model-store';

/** Longer than any training on a loaded box; a stuck child is killed and the caller falls back. */
const TRAINING_TIMEOUT_MS = 120_000;

/** The child's entry beside this file: compiled in `dist/`, TypeScript under Jest and the scripts. */
function workerEntry(): { file: string; execArgv: string[] } {
  if (__filename.endsWith('.js')) return { file: join(__dirname, 'training.worker.js'), execArgv: [] };
  const register = require.resolve('tsx/cjs');
  return { file: join(__dirname, 'training.worker.ts'), execArgv: ['-r', register] };
}

function describeExit(child: ChildProcess): string {
  if (child.signalCode) return child.signalCode;
  return child.exitCode === null ? 'channel closed' : `exit code ${child.exitCode}`;
}

/** Runs one training job in a fresh child process and resolves with the trained models. */
export function trainInWorker(job: TrainingJob): Promise<TrainedStates> {
  const { file, execArgv } = workerEntry();
  return new Promise<TrainedStates>((resolve, reject) => {
    const child = fork(file, [], { execArgv, serialization: 'advanced', stdio: 'inherit' });
    let settled = false;
    const finish = (error: Error | null, states?: TrainedStates): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        child.kill('SIGKILL');
        reject(error);
      } else resolve(states as TrainedStates);
    };
    const timer = setTimeout(
      () => finish(new Error(`routing model training took longer than ${TRAINING_TIMEOUT_MS} ms`)),
      TRAINING_TIMEOUT_MS,
    );
    // Views into the received message would keep all of it alive: each array gets its own buffer.
    child.once('message', (states: TrainedStates) => finish(null, ownTypedArrays(states)));
    child.once('error', (error) => finish(error));
    // The channel closes after the last message was read, so a result is never lost to this.
    child.once('disconnect', () =>
      finish(new Error(`the routing training process ended without a result (${describeExit(child)})`)),
    );
    child.send(job, (error) => {
      if (error) finish(error);
    });
  });
}
