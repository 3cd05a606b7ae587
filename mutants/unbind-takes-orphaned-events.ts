import { KBUS_NAME } from '../wire/constants';
import { KbusPolicy } from '../reference/policy';
import type { Binding } from '../reference/bindings';
import type { MessageQueue, QueuedCopy } from '../reference/queue';
import { defineMutant } from './define';

/**
 * Any UNBIND also takes the replier bind events no live binding owns, such as a set-aside event
 * that entered the queue after its binding had gone: the module's dangling binding pointer,
 * matched by a new binding at the same address.
 */
class UnbindTakesOrphanedEvents extends KbusPolicy {
  override copiesOwedTo(queue: MessageQueue, binding: Binding): QueuedCopy[] {
    return [...queue].filter((c) => c.binding === binding || (c.binding === null && c.message.message.name === KBUS_NAME.REPLIER_BIND_EVENT));
  }
}

export = defineMutant({
  breaks: 'UNBIND takes only the copies queued through that binding; a set-aside unbind event reaches every event listener',
  behaviours: ['BIND-07', 'RBE-13'],
  policy: UnbindTakesOrphanedEvents,
});
