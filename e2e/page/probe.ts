/**
 * Runs inside the browser page (bundled with the SDK by e2e/harness/sdk-bundle.ts as `window.probe`).
 * Reads what a person would see or hear, and what the page created, for the tests to assert on.
 */
export * from './probe-media.js';
export * from './probe-connections.js';
export * from './probe-data.js';
