import { main } from './cli.js';

// Process entry: `rendezvous [start] [options]`.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
