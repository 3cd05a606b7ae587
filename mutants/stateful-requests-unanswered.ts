import type { Message } from '../wire/message';
import { KbusPolicy, SyntheticKind } from '../reference/policy';
import { defineMutant } from './define';

/** The original module's bug: stateful requests (to = the replier) emptied from its queue get no answer. */
class StatefulRequestsUnanswered extends KbusPolicy {
  override syntheticReply(kind: SyntheticKind, request: Readonly<Message>, replierId: number) {
    const emptiedQueue = kind === 'GoneAway' || kind === 'Unbound';
    return emptiedQueue && request.to === replierId ? null : super.syntheticReply(kind, request, replierId);
  }
}

export = defineMutant({ breaks: 'stateful requests are answered by KBUS too when their replier unbinds or closes', behaviours: ['SYN-12'], policy: StatefulRequestsUnanswered });
