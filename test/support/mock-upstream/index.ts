export { replies } from './scripting';
export { startMockUpstream } from './server';
export { SMALL_CONTEXT_WINDOW } from './magic';
export type * from './types';
