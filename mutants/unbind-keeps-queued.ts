import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** Copies queued through a binding outlive it. */
class UnbindKeepsQueued extends KbusPolicy {
  override removesCopiesOnUnbind(): boolean {
    return false;
  }
}

export = defineMutant({ breaks: 'UNBIND removes the unread messages queued through that binding', behaviours: ['BIND-07', 'SYN-01'], policy: UnbindKeepsQueued });
