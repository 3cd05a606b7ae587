/**
 * A fake user address space for pointy messages: buffers placed at made-up addresses that a
 * reference Ksock reads at SEND. An address outside every buffer reads as unmapped (EFAULT).
 */

import type { UserBuffer } from '../adapter';
import type { UserMemory } from '../../reference/ksock';

interface Region {
  address: bigint;
  bytes: Buffer;
}

const FIRST_ADDRESS = 0x10000n;
/** Room between regions, so a reader running past one buffer never lands in the next. */
const GAP = 0x1000n;

export class FakeAddressSpace implements UserMemory {
  /** Sorted by address: allocation only ever moves up. */
  private readonly regions: Region[] = [];
  private next = FIRST_ADDRESS;

  allocate(bytes: Uint8Array): UserBuffer {
    const region: Region = { address: this.next, bytes: Buffer.from(bytes) };
    this.regions.push(region);
    this.next += BigInt(bytes.length) + GAP;
    this.next -= this.next % 16n;
    return {
      address: region.address,
      set(newBytes: Uint8Array) {
        if (newBytes.length > region.bytes.length) throw new RangeError(`buffer holds ${region.bytes.length} bytes, not ${newBytes.length}`);
        region.bytes.set(newBytes);
      },
    };
  }

  read(address: bigint, length: number): Uint8Array | null {
    const region = this.regionAt(address);
    if (!region) return null;
    const start = Number(address - region.address);
    if (start + length > region.bytes.length) return null;
    return region.bytes.subarray(start, start + length);
  }

  write(address: bigint, bytes: Uint8Array): boolean {
    const target = this.read(address, bytes.length);
    if (!target) return false;
    (target as Buffer).set(bytes);
    return true;
  }

  private regionAt(address: bigint): Region | undefined {
    let lo = 0;
    let hi = this.regions.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.regions[mid];
      if (address < r.address) hi = mid - 1;
      else if (address >= r.address + BigInt(r.bytes.length)) lo = mid + 1;
      else return r;
    }
    return undefined;
  }
}
