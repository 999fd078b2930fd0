export * from './audit-event.schema';
export * from './audit.module';
export * from './audit.service';
export * from './audited.decorator';
