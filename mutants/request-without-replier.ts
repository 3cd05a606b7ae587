import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** A request nobody will answer is accepted (and goes to its listeners only). */
class RequestWithoutReplier extends KbusPolicy {
  override requestNeedsReplier(): boolean {
    return false;
  }
}

export = defineMutant({ breaks: 'a request with no replier bound cannot be sent (EADDRNOTAVAIL)', behaviours: ['REQ-01'], policy: RequestWithoutReplier });
