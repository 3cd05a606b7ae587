import type { Binding } from '../reference/bindings';
import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** Between equally specific wildcard repliers the oldest binding wins. */
class ReplierTieToOldest extends KbusPolicy {
  override chooseReplier<B extends Binding>(candidates: readonly B[]): B | undefined {
    let best: B | undefined;
    for (const b of candidates) {
      const diff = best ? this.replierRank(b) - this.replierRank(best) : -1;
      if (diff < 0 || (diff === 0 && b.seq < best!.seq)) best = b;
    }
    return best;
  }
}

export = defineMutant({ breaks: 'between equally specific wildcard repliers the newest binding wins', behaviours: ['REP-06'], policy: ReplierTieToOldest });
