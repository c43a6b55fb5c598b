import { Worker } from 'node:worker_threads';
import { FOLD_WORKER } from './fold.mjs';

type Pending = { resolve: (state: Uint8Array) => void; reject: (error: Error) => void };

/**
 * One worker thread that folds update logs for every document of this instance (compactions are
 * rare and one at a time per document). Started on first use; if it dies, what it was doing fails
 * (the compaction is retried later, the log stays as it is) and the next request starts a new one.
 * It never keeps the process alive.
 */
export class FoldWorker {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  fold(updates: Uint8Array[]): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(new Error('the fold worker is stopped'));
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, updates });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    this.failAll(new Error('the fold worker is stopped'));
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./fold.mjs', import.meta.url), { workerData: FOLD_WORKER });
    worker.unref();
    worker.on('message', (message: { id: number; state?: Uint8Array; error?: string }) => {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (message.state) waiting.resolve(message.state);
      else waiting.reject(new Error(message.error ?? 'fold failed'));
    });
    const gone = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.failAll(error);
    };
    worker.on('error', (error) => gone(error));
    worker.on('exit', (code) => gone(new Error(`the fold worker exited (${code})`)));
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
