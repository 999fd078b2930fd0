/**
 * Child-process entry of `trainInWorker` (training-worker.ts): trains what the job it is sent asks
 * for, sends the models back as plain data and exits (also when the gateway goes away first).
 */
import { trainStates, type TrainingJob } from './classifier-registry';

process.once('message', (job: TrainingJob) => {
  process.send?.(trainStates(job), () => process.exit(0));
});
process.once('disconnect', () => process.exit(0));
