export * from './errors.ts';
export * from './roles.ts';
export * from './schemas/common.ts';
export * from './schemas/auth.ts';
export * from './schemas/groups.ts';
export * from './schemas/events.ts';
export * from './schemas/health.ts';
export * from './schemas/definitions.ts';
