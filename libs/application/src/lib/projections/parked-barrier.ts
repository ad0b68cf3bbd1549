import type { ReadStore } from '@wih/read-store';
import { listParked } from './parking';

/**
 * The documents with parked events, and the position of the first one parked: a document's later
 * events wait behind it, so it never sees its events out of order. Kept in memory, rebuilt from
 * the parked records when a runner starts.
 */
export class ParkedBarrier {
  private readonly first = new Map<string, bigint>();

  static async load(reads: ReadStore, collection: string): Promise<ParkedBarrier> {
    const barrier = new ParkedBarrier();
    for (const { key, position } of await listParked(reads, collection)) barrier.hold(key, BigInt(position));
    return barrier;
  }

  get size(): number {
    return this.first.size;
  }

  has(key: string): boolean {
    return this.first.has(key);
  }

  /** The document's first parked position, if any. */
  from(key: string): bigint | undefined {
    return this.first.get(key);
  }

  /** Holds the document at `position`, or at an earlier position it is held at already. */
  hold(key: string, position: bigint): void {
    const current = this.first.get(key);
    if (current === undefined || position < current) this.first.set(key, position);
  }

  release(key: string): void {
    this.first.delete(key);
  }
}
