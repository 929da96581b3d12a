export * from './version.js';
export * from './errors.js';
export * from './primitives.js';
export * from './client-messages.js';
export * from './server-messages.js';
export * from './codec.js';
export * from './peer-directory.js';
export * from './sfu.js';
export { checkCandidate, checkDescription, isPlainObject } from './fast-checks.js';
