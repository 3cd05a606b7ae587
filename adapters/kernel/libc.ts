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

const exitCall = cFunctions({ _exit: 'void _exit(int status)' });

/**
 * Ends the process at once with `code`, from any thread. Node's own exit first joins its
 * worker threads, which never happens while one is stuck in a system call to a device that
 * does not answer; output written synchronously (stdout and stderr on Linux, files) is kept.
 */
export function exitNow(code: number): never {
  exitCall()._exit(code);
  throw new Error('_exit returned');
}
