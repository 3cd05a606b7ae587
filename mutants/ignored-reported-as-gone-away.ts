import type { Message } from '../wire/message';
import { KbusPolicy, SyntheticKind } from '../reference/policy';
import { defineMutant } from './define';

/** A request the closing replier had already read is reported as if it were still queued. */
class IgnoredReportedAsGoneAway extends KbusPolicy {
  override syntheticReply(kind: SyntheticKind, request: Readonly<Message>, replierId: number) {
    return super.syntheticReply(kind === 'Ignored' ? 'GoneAway' : kind, request, replierId);
  }
}

export = defineMutant({ breaks: 'a request read but not answered by a closing replier gets Ignored, not GoneAway', behaviours: ['SYN-03'], policy: IgnoredReportedAsGoneAway });
