export { FileTransfers, type FileTransfersEvents, type FileTransfersOptions, type SendFileOptions } from './file-transfers.js';
export { OutgoingTransfer, type SentFile } from './outgoing-transfer.js';
export { IncomingTransfer, type FileDestination, type ReceivedFile } from './incoming-transfer.js';
export { memorySink, opfsWritable, type FileSink } from './sinks.js';
export type { TransferProgress } from './progress.js';
export type { CancelledBy, TransferEvents, TransferState } from './transfer-types.js';
export * from './limits.js';
