/**
 * Worker thread of a parallel batch (batch-parallel.ts): builds the command's batch
 * set-up from the same options as the main thread, then evaluates each block of records
 * it is sent with a {@link BatchRunner} and answers with the block's output text.
 */
import { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { BatchRunner, type BatchSetup } from './batch.js';
import type { BatchWorkerData, BlockMessage, BlockReply } from './batch-parallel.js';
import { findCommand } from './commands/index.js';

const data = workerData as BatchWorkerData;
const port = parentPort;
if (!port) throw new Error('batch-worker runs only as a worker thread');

const setupReady: Promise<BatchSetup> = (async () => {
  const definition = await findCommand(data.command)?.load();
  if (!definition?.batchSetup) throw new Error(`command ${data.command} has no batch set-up`);
  return definition.batchSetup(data.options, { cwd: data.cwd });
})();

let queue: Promise<void> = Promise.resolve();
port.on('message', (message: BlockMessage) => {
  queue = queue.then(() => evaluateBlock(message));
});

async function evaluateBlock(message: BlockMessage): Promise<void> {
  let reply: BlockReply;
  try {
    const setup = await setupReady;
    const parts: string[] = [];
    const sink = {
      write: (chunk: string) => {
        parts.push(chunk);
        return true;
      },
    };
    const runner = new BatchRunner(setup.spec, setup.defaults, data.json, sink, false);
    if (message.header) runner.setHeader(message.header);
    await runner.read({
      path: '(block)',
      cwd: data.cwd,
      stdin: Readable.from([]),
      part: { text: message.text, firstLine: message.firstLine, format: message.format, ...(message.header ? { header: message.header } : {}) },
    });
    reply = { id: message.id, text: parts.join(''), rows: runner.rows, failed: runner.failed };
  } catch (error) {
    reply = { id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  (port as NonNullable<typeof port>).postMessage(reply);
}
