export * from './config-change.bus';
export * from './config-sync.module';
