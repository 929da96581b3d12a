/**
 * Where a received file goes, chunk by chunk, so the receiver never holds one giant buffer: a file in the
 * Origin Private File System (the default where the browser can write to it from the page), a file the person
 * picked (`showSaveFilePicker`, where the browser has it), or memory for small files (MAX_IN_MEMORY_FILE_BYTES).
 */
import { MAX_IN_MEMORY_FILE_BYTES } from './limits.js';

export interface FileSink {
  /** Appends `chunk` (the sink may keep it: the caller never reuses it). */
  write(chunk: Uint8Array<ArrayBuffer>): Promise<void>;
  /** Everything was written and verified: finish and return the file. */
  close(): Promise<Blob>;
  /** Drops what was written (a cancelled or corrupt transfer leaves nothing behind). Never throws. */
  abort(): Promise<void>;
}

/** The folder of the Origin Private File System that holds received files. */
export const OPFS_FOLDER = 'rendezvous-files';

/** Keeps the chunks as Blob parts (no single large buffer). For files up to MAX_IN_MEMORY_FILE_BYTES. */
export function memorySink(type = ''): FileSink {
  let parts: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  return {
    write(chunk) {
      size += chunk.byteLength;
      if (size > MAX_IN_MEMORY_FILE_BYTES) {
        return Promise.reject(new Error(`over the in-memory limit of ${MAX_IN_MEMORY_FILE_BYTES} bytes`));
      }
      parts.push(chunk);
      return Promise.resolve();
    },
    close() {
      const blob = new Blob(parts, { type });
      parts = [];
      return Promise.resolve(blob);
    },
    abort() {
      parts = [];
      return Promise.resolve();
    },
  };
}

/** Writes to `handle` (from `showSaveFilePicker`, or a file in the OPFS). `remove` deletes it on abort. */
export async function handleSink(handle: FileSystemFileHandle, remove?: () => Promise<void>): Promise<FileSink> {
  const writable = await handle.createWritable({ keepExistingData: false });
  let open = true;
  return {
    write: (chunk) => writable.write(chunk),
    async close() {
      open = false;
      await writable.close();
      return handle.getFile();
    },
    async abort() {
      if (open) {
        open = false;
        await writable.abort().catch(() => undefined);
      }
      await remove?.().catch(() => undefined);
    },
  };
}

/** Whether this page can write files to the Origin Private File System from the main thread. */
export function opfsWritable(): boolean {
  return (
    typeof navigator !== 'undefined' &&
    typeof navigator.storage?.getDirectory === 'function' &&
    typeof FileSystemFileHandle !== 'undefined' &&
    typeof FileSystemFileHandle.prototype.createWritable === 'function'
  );
}

/** A new file `fileName` in the OPFS folder OPFS_FOLDER, deleted again on abort. */
export async function opfsSink(fileName: string): Promise<FileSink> {
  const root = await navigator.storage.getDirectory();
  const folder = await root.getDirectoryHandle(OPFS_FOLDER, { create: true });
  const handle = await folder.getFileHandle(fileName, { create: true });
  return handleSink(handle, () => folder.removeEntry(fileName));
}

/** The default sink: the OPFS where writable, else memory for small files; null when neither fits. */
export async function defaultSink(fileName: string, size: number, type: string): Promise<FileSink | null> {
  if (opfsWritable()) {
    return opfsSink(fileName);
  }
  return size <= MAX_IN_MEMORY_FILE_BYTES ? memorySink(type) : null;
}

/** Deletes every file a past session left in the OPFS folder (received files the application no longer needs). */
export async function clearStoredFiles(): Promise<void> {
  if (!opfsWritable()) {
    return;
  }
  const root = await navigator.storage.getDirectory();
  await root.removeEntry(OPFS_FOLDER, { recursive: true }).catch(() => undefined);
}

/** A file name safe for the OPFS: no path separators or control characters, unique per transfer. */
export function storageName(transferId: string, name: string): string {
  const safe = [...name]
    .map((c) => (c.charCodeAt(0) < 0x20 || c === '\u007f' || '/\\:*?"<>|'.includes(c) ? '_' : c))
    .join('')
    .slice(0, 100);
  return `${transferId}-${safe === '' ? 'file' : safe}`;
}
