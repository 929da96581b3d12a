/** deflate-raw through the platform's CompressionStream (browsers, Node 20). */

export function canDeflate(): boolean {
  try {
    if (typeof CompressionStream !== 'function') {
      return false;
    }
    new CompressionStream('deflate-raw'); // throws where the format is unknown
    return true;
  } catch {
    return false;
  }
}

/** Every byte `readable` yields; throws past `limit` bytes (and cancels the stream). */
async function collect(readable: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const reader = readable.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new RangeError(`more than ${limit} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream, limit: number): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  const written = writer.write(bytes as Uint8Array<ArrayBuffer>).then(() => writer.close());
  const [out] = await Promise.all([collect(stream.readable as ReadableStream<Uint8Array>, limit), written]);
  return out;
}

export function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  return pipe(bytes, new CompressionStream('deflate-raw'), Infinity);
}

/** Throws when `bytes` are not a complete deflate-raw stream, inflate past `limit` bytes, or cannot be inflated here. */
export function inflateRaw(bytes: Uint8Array, limit: number): Promise<Uint8Array> {
  return pipe(bytes, new DecompressionStream('deflate-raw'), limit);
}
