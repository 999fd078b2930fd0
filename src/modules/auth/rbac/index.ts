export * from './admin-route.decorator';
export * from './authenticated-user';
export * from './current-user.decorator';
export * from './permission.guard';
export * from './permissions';
export * from './require-permission.decorator';
export * from './tenant-access';
