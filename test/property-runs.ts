/**
 * How many cases the property tests try: a fixed seed and a bounded count so that `npm test`
 * stays fast and repeatable; KBUS_PROPERTY_RUNS=100000 (and KBUS_PROPERTY_SEED) for a long hunt.
 */

const DEFAULT_SEED = 20261124;

export function propertyRuns(defaultRuns: number, env: NodeJS.ProcessEnv = process.env): { numRuns: number; seed: number } {
  const count = (name: string, fallback: number) => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    const n = Number(text);
    if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer, not "${text}"`);
    return n;
  };
  return { numRuns: count('KBUS_PROPERTY_RUNS', defaultRuns), seed: count('KBUS_PROPERTY_SEED', DEFAULT_SEED) };
}
