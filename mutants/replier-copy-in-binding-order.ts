import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** A request's replier copy is queued where its binding falls among the listeners', newest first. */
class ReplierCopyInBindingOrder extends KbusPolicy {
  override replierCopyFirst(): boolean {
    return false;
  }
}

export = defineMutant({
  breaks: "a replier that also listens gets the replier's copy of a request first, whichever it bound first",
  behaviours: ['REP-07', 'ONCE-05'],
  policy: ReplierCopyInBindingOrder,
});
