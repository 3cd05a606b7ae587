/**
 * The C library through koffi, loaded once for every module that makes system calls (the
 * kernel adapter, and the FUSE server's mount and memory access).
 */

import * as koffi from 'koffi';

export type CFunction = ReturnType<koffi.LibraryHandle['func']>;

let library: koffi.LibraryHandle | undefined;

/**
 * A lazily bound set of C functions, one per prototype (`int close(int fd)`): binding waits
 * for the first call so that merely importing a module never needs the C library.
 */
export function cFunctions<Name extends string>(prototypes: Record<Name, string>): () => Record<Name, CFunction> {
  let bound: Record<Name, CFunction> | undefined;
  return () => {
    if (!bound) {
      library ??= koffi.load('libc.so.6');
      const lib = library;
      bound = Object.fromEntries(Object.entries<string>(prototypes).map(([name, prototype]) => [name, lib.func(prototype)])) as Record<Name, CFunction>;
    }
    return bound;
  };
}
