import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** Readers get whatever the writer put in the header's alignment holes. */
class HeaderHolesKept extends KbusPolicy {
  override clearsHeaderHoles(): boolean {
    return false;
  }
}

export = defineMutant({ breaks: "the header's alignment holes read back as zeros, whatever was written there", behaviours: ['LAY-12'], policy: HeaderHolesKept });
