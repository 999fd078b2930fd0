export * from './api-key.util';
export * from './key-usage.recorder';
export * from './tenant-directory.service';
export * from './tenant.types';
export * from './tenants.module';
export * from './model-access';
