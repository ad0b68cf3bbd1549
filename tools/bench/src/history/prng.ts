const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex16 = (n: number): string => BYTE_HEX[(n >>> 8) & 0xff] + BYTE_HEX[n & 0xff];
const hex32 = (n: number): string => hex16(n >>> 16) + hex16(n & 0xffff);

/**
 * A seeded PRNG (sfc32, seeded through splitmix32): the same seed gives the same history on every
 * machine and Node version, which Math.random cannot promise.
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    [this.a, this.b, this.c, this.d] = [next(), next(), next(), next()];
    // The first outputs of a fresh state are poorly mixed.
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Knuth's method: small means only (a handful of mediations per case). */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    for (let p = this.next(); p > limit; p *= this.next()) k++;
    return k;
  }

  /** A version-4-shaped UUID: ids must be as deterministic as the rest of the history. */
  uuid(): string {
    const [a, b, c, d] = [this.u32(), this.u32(), this.u32(), this.u32()];
    const version = (b & 0xffff0fff) | 0x4000;
    const variant = (c & 0x3fffffff) | 0x80000000;
    return `${hex32(a)}-${hex16(version >>> 16)}-${hex16(version & 0xffff)}-${hex16(variant >>> 16)}-${hex16(variant & 0xffff)}${hex32(d)}`;
  }
}

/** Draws from a fixed categorical distribution; weights need not sum to 1. */
export class Weighted<T> {
  private readonly values: readonly T[];
  private readonly cumulative: readonly number[];

  constructor(entries: readonly (readonly [T, number])[]) {
    let sum = 0;
    this.values = entries.map(([value]) => value);
    this.cumulative = entries.map(([, weight]) => (sum += weight));
  }

  draw(rng: Prng): T {
    const x = rng.next() * this.cumulative[this.cumulative.length - 1];
    let i = 0;
    while (this.cumulative[i] <= x) i++;
    return this.values[i];
  }
}
