import { LIMITS } from '../wire/constants';
import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** Devices start with the in-kernel Kconfig default limit, not the one this build was configured with. */
class DefaultSizeOfAnotherBuild extends KbusPolicy {
  override defaultMaxMessageSize(): number {
    return LIMITS.DEFAULT_MAX_MSG_SIZE;
  }
}

export = defineMutant({ breaks: "a new device's MAXMSGSIZE is the build's configured default", behaviours: ['SZ-01', 'SZ-07'], policy: DefaultSizeOfAnotherBuild });
