export { startRendezvous, type RunningServer } from './app.js';
export { loadConfig, ConfigError, type Config } from './config.js';
export { OPTIONS } from './config-options.js';
export { main } from './cli.js';
