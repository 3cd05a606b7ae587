/**
 * The size limits the build under test was configured with, as the run is told them: the
 * options `defaultMaxMessageSize` and `absoluteMaxMessageSize` (`--adapter-option`), else those
 * of the module's own out-of-tree build, 409600 bytes for both. Scenarios check the device
 * against these, never against what it reports of itself.
 */

import { LIMITS } from '../wire/constants';
import { KbusWorld, SetupError } from './world';

export function buildLimits(world: KbusWorld): { defaultMaxMessageSize: number; absoluteMaxMessageSize: number } {
  const told = (key: string): number => {
    const value = world.parameters.adapterOptions?.[key];
    if (value === undefined) return LIMITS.OUT_OF_TREE_MAX_MSG_SIZE;
    if (!Number.isInteger(value)) throw new SetupError(`adapter option ${key} must be a whole number of bytes, not ${String(value)}`);
    return value as number;
  };
  return { defaultMaxMessageSize: told('defaultMaxMessageSize'), absoluteMaxMessageSize: told('absoluteMaxMessageSize') };
}
