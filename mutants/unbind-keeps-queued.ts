import { KbusPolicy } from '../reference/policy';
import type { QueuedCopy } from '../reference/queue';
import { defineMutant } from './define';

/** Copies queued through a binding outlive it. */
class UnbindKeepsQueued extends KbusPolicy {
  override copiesOwedTo(): QueuedCopy[] {
    return [];
  }
}

export = defineMutant({ breaks: 'UNBIND removes the unread messages queued through that binding', behaviours: ['BIND-07', 'SYN-01'], policy: UnbindKeepsQueued });
