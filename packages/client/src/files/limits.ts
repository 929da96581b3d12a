/**
 * Every bound of file transfer, in one place. Sizes are bytes.
 */

/** The internal topic file transfer uses for its control messages and streams. */
export const FILES_TOPIC = 'files';
/** A file travels, is hashed and is stored in chunks of this size; a transfer resumes from a chunk boundary. */
export const FILE_CHUNK_BYTES = 64 * 1024;
/**
 * The sender reads the file, and the receiver hashes and stores it, in batches of this size (a multiple of
 * FILE_CHUNK_BYTES): fewer, larger Blob reads and disk writes are several times faster. The receiver's resume point
 * moves once per batch.
 */
export const FILE_BATCH_BYTES = 16 * FILE_CHUNK_BYTES;
/** Transfers running at once to one peer (offered, waiting for an answer, or streaming); the rest queue. */
export const MAX_CONCURRENT_TRANSFERS_PER_PEER = 2;
/** Files queued per recipient beyond the running ones; past it `send` throws. */
export const MAX_QUEUED_FILES_PER_PEER = 64;
/** Unfinished incoming transfers from one peer; offers past it are refused. */
export const MAX_INCOMING_TRANSFERS_PER_PEER = 8;
/** The largest file accepted: the largest byte count a JavaScript number keeps exact. Storage is the real bound. */
export const MAX_FILE_BYTES = Number.MAX_SAFE_INTEGER;
/** Without a disk sink (no Origin Private File System), a file is kept in memory only up to this size. */
export const MAX_IN_MEMORY_FILE_BYTES = 64 * 1024 * 1024;
/** The longest file name (characters) and media type an offer may carry. */
export const MAX_FILE_NAME_CHARS = 255;
export const MAX_FILE_TYPE_CHARS = 255;
/** How long a transfer whose link dropped waits for the peer to be reachable again. */
export const RESUME_TIMEOUT_MS = 30_000;
/** How many times one transfer may resume after a drop; the next drop fails it. */
export const MAX_RESUME_ATTEMPTS = 5;
/** Progress rate (bytes/s) is measured over this sliding window. */
export const RATE_WINDOW_MS = 3_000;
