export * from './rest-credentials.js';
