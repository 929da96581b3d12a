import type { RecordingContainer } from './recording-format.js';

/**
 * Rewrites a MediaRecorder file so players can seek in it: WebM gets its duration and cues (MediaRecorder
 * writes neither), MP4 a regular index up front. Packets are copied, never re-encoded. Mediabunny is loaded
 * only when a recording is finished.
 */
export async function makeSeekable(blob: Blob, container: RecordingContainer): Promise<Blob> {
  const { ALL_FORMATS, BlobSource, BufferTarget, Conversion, Input, Mp4OutputFormat, Output, WebMOutputFormat } =
    await import('mediabunny');
  const input = new Input({ source: new BlobSource(blob), formats: ALL_FORMATS });
  try {
    const format = container === 'mp4' ? new Mp4OutputFormat({ fastStart: 'in-memory' }) : new WebMOutputFormat();
    const target = new BufferTarget();
    const output = new Output({ format, target });
    const conversion = await Conversion.init({ input, output, showWarnings: false });
    if (!conversion.isValid) {
      const reasons = conversion.discardedTracks.map((track) => track.reason).join(', ');
      throw new Error(`The recording cannot be rewritten (${reasons})`);
    }
    await conversion.execute();
    if (target.buffer === null) {
      throw new Error('The rewritten recording is empty');
    }
    return new Blob([target.buffer], { type: blob.type });
  } finally {
    input.dispose();
  }
}
