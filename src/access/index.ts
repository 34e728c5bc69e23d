export * from './actor.ts';
export * from './policy.ts';
export * from './audit.ts';
export * from './passwords.ts';
export * from './users.ts';
export * from './sessions.ts';
export * from './oidc.ts';
export * as accessSchema from './schema.ts';
export { users, sessions, loginThrottle, auditLog } from './schema.ts';
