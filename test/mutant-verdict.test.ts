/** The mutant runner's judgement: when a mutant counts as killed and when the run passes. */

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { exitCode, judgeMutant, referenceProblem, RunEnd } from '../mutants/verdict';

function finished(outcomes: [name: string, outcome: string, ids?: string[]][], runHookFailures: string[] = []): RunEnd {
  return { ended: 'finished', outcome: { scenarios: outcomes.map(([name, outcome, ids = []]) => ({ name, outcome, ids })), runHookFailures } };
}

const REFERENCE_PASSES = finished([['a', 'passed'], ['b', 'skipped']]);

describe('mutant verdicts', () => {
  it('a mutant is killed by failed and broken scenarios, assertion failures named first', () => {
    const v = judgeMutant(finished([['ok', 'passed'], ['crash', 'broken'], ['assert', 'failed'], ['skip', 'skipped']]), []);
    assert.equal(v.status, 'killed');
    assert.deepEqual(v.killers, ['assert', 'crash']);
  });

  it('says whether a scenario tagged with one of the broken behaviours caught it', () => {
    const run = finished([['on', 'failed', ['BC-04']], ['off', 'failed', ['Q-01']], ['passes', 'passed', ['URG-01']]]);
    assert.equal(judgeMutant(run, ['BC-04']).caughtOnTarget, true);
    assert.equal(judgeMutant(run, ['URG-01']).caughtOnTarget, false);
  });

  it('a mutant every scenario passes (or skips) survives', () => {
    assert.equal(judgeMutant(REFERENCE_PASSES, []).status, 'survived');
  });

  it('a failed run hook kills a mutant', () => {
    assert.deepEqual(judgeMutant(finished([['a', 'passed']], ['BeforeAll threw']), []).killers, ['(run hook) BeforeAll threw']);
  });

  it('a run that timed out or crashed is not a kill', () => {
    assert.equal(judgeMutant({ ended: 'timed-out', afterMs: 45_000 }, []).status, 'timed-out');
    assert.equal(judgeMutant({ ended: 'crashed', detail: 'worker exited (1)' }, []).status, 'crashed');
  });

  it('the reference must pass at least one scenario and fail none', () => {
    assert.equal(referenceProblem(REFERENCE_PASSES), null);
    assert.match(referenceProblem(finished([['a', 'passed'], ['b', 'failed']]))!, /1 scenario\(s\) did not pass, e\.g\. "b"/);
    assert.equal(referenceProblem(finished([['a', 'skipped']])), 'no scenario passed');
    assert.match(referenceProblem(finished([['a', 'passed']], ['AfterAll threw']))!, /run hook/);
  });

  it('exits 0 only when the reference passes and every mutant is killed', () => {
    const killed = judgeMutant(finished([['a', 'failed']]), []);
    const survived = judgeMutant(REFERENCE_PASSES, []);
    assert.equal(exitCode(REFERENCE_PASSES, [killed, killed]), 0);
    assert.equal(exitCode(REFERENCE_PASSES, [killed, survived]), 1);
    assert.equal(exitCode(finished([['a', 'broken']]), [killed]), 1);
    assert.equal(exitCode({ ended: 'timed-out', afterMs: 1 }, [killed]), 1);
  });
});
