/**
 * Message names: `$.` then dot-separated words of alphanumerics; a binding may end in a
 * `*` word (this level and below) or a `%` word (exactly one more level).
 *
 * Names are handled as latin1 strings so that every byte is exactly one character: the
 * kernel validates bytes, not characters, and a reader must be able to see byte 0xE9 as such.
 */

import { LIMITS } from './constants';

export type Wildcard = '*' | '%';

/**
 * The kernel's isalnum(): ASCII letters and digits, and the Latin-1 letter bytes 0xC0-0xFF
 * except the multiplication and division signs (0xD7, 0xF7).
 */
function isKernelAlnum(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0xc0 && c !== 0xd7 && c !== 0xf7 && c <= 0xff)
  );
}

/**
 * Whether `name` is well formed. Length limits are not checked here: each caller (BIND,
 * a message header, REPLIER) answers a bad length with its own errno.
 */
export function isValidName(name: string, opts: { wildcardAllowed: boolean }): boolean {
  const n = name.length;
  if (n < LIMITS.MIN_NAME_LEN || name.charCodeAt(0) !== 0x24 /* $ */ || name.charCodeAt(1) !== 0x2e /* . */) {
    return false;
  }
  if (name.charCodeAt(n - 1) === 0x2e) return false;
  for (let i = 2; i < n; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x2e) {
      if (name.charCodeAt(i - 1) === 0x2e) return false;
    } else if (c === 0x2a /* * */ || c === 0x25 /* % */) {
      if (!opts.wildcardAllowed || i !== n - 1 || name.charCodeAt(i - 1) !== 0x2e) return false;
    } else if (!isKernelAlnum(c)) {
      return false;
    }
  }
  return true;
}

/** The wildcard a binding name ends in, if any. */
export function wildcardOf(binding: string): Wildcard | null {
  const last = binding[binding.length - 1];
  return last === '*' || last === '%' ? last : null;
}

/**
 * The words of a name after `$`, e.g. `$.Sensors.Kitchen` → [`Sensors`, `Kitchen`].
 * For a wildcard binding the wildcard word is dropped: `$.Sensors.*` → [`Sensors`].
 */
export function nameWords(name: string): string[] {
  const words = name.split('.').slice(1);
  if (wildcardOf(name)) words.pop();
  return words;
}

/** Whether a binding (possibly a wildcard) matches a concrete message name. */
export function bindingMatches(binding: string, messageName: string): boolean {
  const wildcard = wildcardOf(binding);
  if (!wildcard) return binding === messageName;
  const prefix = binding.slice(0, -1); // keeps the trailing dot
  if (messageName.length <= prefix.length || !messageName.startsWith(prefix)) return false;
  return wildcard === '*' || !messageName.includes('.', prefix.length);
}

/** Bytes of a name as the device sees them. */
export function nameBytes(name: string): Buffer {
  return Buffer.from(name, 'latin1');
}

/** The bytes as a Buffer, viewing the same memory (no copy, and no new object for a Buffer). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The name in `bytes` (or in its range start..end), without copying the bytes first. */
export function nameFromBytes(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return asBuffer(bytes).toString('latin1', start, end);
}

/** Whether bytes start..end spell `name`: cheaper than making the string to compare. */
export function bytesSpellName(bytes: Uint8Array, start: number, end: number, name: string): boolean {
  if (end - start !== name.length) return false;
  for (let i = 0; i < name.length; i++) if (bytes[start + i] !== name.charCodeAt(i)) return false;
  return true;
}
