export * from './provider-catalog.service';
export * from './provider.types';
export * from './providers.module';
