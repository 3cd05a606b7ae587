import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** NEXTMSG on an empty queue leaves the message being read current. */
class EmptyNextMsgKeepsCurrent extends KbusPolicy {
  override emptyNextMsgDropsCurrent(): boolean {
    return false;
  }
}

export = defineMutant({ breaks: 'NEXTMSG on an empty queue leaves no message current', behaviours: ['IO-02'], policy: EmptyNextMsgKeepsCurrent });
