import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** /proc/kbus/stats leaves out Ksocks opened read-only. */
class StatsSkipReadOnly extends KbusPolicy {
  override listsInStats(mode: 'r' | 'rw'): boolean {
    return mode === 'rw';
  }
}

export = defineMutant({ breaks: '/proc/kbus/stats lists every open Ksock', behaviours: ['PROC-03'], policy: StatsSkipReadOnly });
