/**
 * kbus-agent builds warning-free for the boards KBUS runs on: x86_64, i386, aarch64 and armhf,
 * each with its own pointer size and header layout. A missing cross compiler skips its build,
 * saying which (.ci/run installs them). Only the native build can be run here: the FUSE device
 * serves 64-bit clients only (fuse/README.md), so the i386 and armhf agents are built, not run.
 */

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { buildAgent, compilerMissing, removeBuild } from './agent-harness';

/** ELF e_machine and class (1: 32-bit, 2: 64-bit) of each target. */
const TARGETS = [
  { board: 'x86_64', compilers: [['cc']], machine: 62, elfClass: 2 },
  { board: 'i386', compilers: [['cc', '-m32'], ['i686-linux-gnu-gcc']], machine: 3, elfClass: 1 },
  { board: 'aarch64', compilers: [['aarch64-linux-gnu-gcc']], machine: 183, elfClass: 2 },
  { board: 'armhf', compilers: [['arm-linux-gnueabihf-gcc']], machine: 40, elfClass: 1 },
];

/** `cc -m32` needs 32-bit C library headers, which Debian's cross compilers may exclude. */
function canBuild(compiler: string[]): string | undefined {
  const missing = compilerMissing(compiler[0]!);
  if (missing || compiler.length === 1) return missing;
  const probe = spawnSync(compiler[0]!, [...compiler.slice(1), '-E', '-x', 'c', '-'], { input: '#include <stdio.h>\n', encoding: 'utf8' });
  return probe.status === 0 ? undefined : `${compiler.join(' ')} has no 32-bit C library headers`;
}

describe('kbus-agent builds with -Wall -Wextra -Werror for every board', () => {
  for (const target of TARGETS) {
    it(`for ${target.board}`, (t) => {
      const reasons = target.compilers.map(canBuild);
      const usable = target.compilers.find((_, i) => reasons[i] === undefined);
      if (!usable) return t.skip(`no compiler for ${target.board}: ${reasons.join('; ')}`);
      const build = buildAgent(usable[0]!, usable.slice(1));
      if (build.skip) return t.skip(build.skip);
      try {
        const elf = fs.readFileSync(build.binary!).subarray(0, 20);
        assert.equal(elf.subarray(0, 4).toString('latin1'), '\x7fELF');
        assert.equal(elf[4], target.elfClass);
        assert.equal(elf.readUInt16LE(18), target.machine);
      } finally {
        removeBuild(build);
      }
    });
  }

  it('and as strict C99 with clang, where clang is installed', (t) => {
    const build = buildAgent('clang', ['-std=c99', '-pedantic']);
    if (build.skip) return t.skip(build.skip);
    removeBuild(build);
  });
});
