/**
 * BufferedWriter: text and bytes reach the stream in the order written, and a full stream
 * holds every writer back until it drains, whichever kind of write filled it.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { BufferedWriter } from '../../src/cli/io.js';

/** A stream that takes `room` writes, then says it is full until drain() is called. */
function fullAfter(room: number) {
  const events = new EventEmitter();
  const chunks: string[] = [];
  let left = room;
  return {
    chunks,
    stream: {
      write(chunk: string | Uint8Array) {
        chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('latin1'));
        return --left > 0;
      },
      once(event: 'drain', listener: () => void) {
        events.once(event, listener);
      },
    },
    drain() {
      left = room;
      events.emit('drain');
    },
  };
}

describe('BufferedWriter', () => {
  it('writes text and bytes in the order given', async () => {
    const sink = fullAfter(100);
    const writer = new BufferedWriter(sink.stream, 8);
    writer.write('a,b\n');
    writer.writeBytes(Buffer.from('1,2\n'));
    writer.write('3,4\n');
    await writer.flush();
    expect(sink.chunks.join('')).toBe('a,b\n1,2\n3,4\n');
    expect(sink.chunks).toEqual(['a,b\n', '1,2\n', '3,4\n']);
  });

  it('once bytes fill the stream, flush waits for its drain, even with no text of its own', async () => {
    const sink = fullAfter(1);
    const writer = new BufferedWriter(sink.stream);
    const full = writer.writeBytes(Buffer.from('1,2\n'));
    expect(full).toBeInstanceOf(Promise);
    expect(writer.flush()).toBe(full); // nothing buffered, but the stream is still full
    let drained = false;
    const waited = (writer.flush() as Promise<void>).then(() => {
      drained = true;
    });
    await Promise.resolve();
    expect(drained).toBe(false);
    sink.drain();
    await waited;
    expect(drained).toBe(true);
    expect(writer.flush()).toBeUndefined();
  });

  it('a stream without drain events (an in-process sink) is never waited for', () => {
    const chunks: string[] = [];
    const writer = new BufferedWriter({ write: (chunk: string | Uint8Array) => chunks.push(String(chunk)) && false });
    expect(writer.writeBytes(Buffer.from('x'))).toBeUndefined();
    expect(writer.flush()).toBeUndefined();
  });
});
