/** Bundled into the page by pieces.ts: the SHA-256 the SDK uses, as window.benchSha256. */
import { sha256 } from '@noble/hashes/sha2.js';

(window as unknown as { benchSha256: typeof sha256 }).benchSha256 = sha256;
