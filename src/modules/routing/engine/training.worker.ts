/**
 * Worker-thread entry of `trainInWorker` (training-worker.ts): trains what the job in `workerData`
 * asks for and posts the models back as plain data.
 */
import { parentPort, workerData } from 'node:worker_threads';

import { trainStates, type TrainingJob } from './classifier-registry';

parentPort?.postMessage(trainStates(workerData as TrainingJob));
