/**
 * A difference, written as a scenario in the suite's own step language: the minimal session's
 * operations as steps (steps/explore.steps.ts and the suite's common ones), then what the
 * reference answered where the implementation answered otherwise. It passes on the reference
 * and fails on the implementation, so it can be replayed and kept.
 */

import { WRITTEN, Written } from './generator';
import type { Action, Answer, AnswerValue } from './session';
import type { Difference } from './explorer';

export interface Origin {
  seed: number;
  /** The implementation's name as its adapter gives it. */
  implementation: string;
  /** The command that finds it again. */
  replay: string;
}

export function featureText(d: Difference, origin: Origin): string {
  const [first, second, ...rest] = d.steps;
  if (first?.action?.kind !== 'open' || second?.action?.kind !== 'open') throw new Error('an explored session starts with two Ksocks');
  const lines = [`Given the Ksocks "${first.action.who}" and "${second.action.who}"`];
  let keyword = 'When';
  for (const step of rest) {
    if (!step.action) continue;
    if (step.notRun) {
      lines.push(`# left out: ${step.notRun}`);
      continue;
    }
    const [text, ...table] = stepText(step.action);
    lines.push(`${step.action.kind === 'open' ? 'And' : keyword} ${text}`, ...table.map((row) => `  ${row}`));
    if (step.action.kind !== 'open') keyword = 'And';
  }
  const last = d.steps[d.at];
  const [then, ...table] = answerText(last.reference!);
  lines.push(`Then ${then}`, ...table.map((row) => `  ${row}`));
  const differs = difference(last.reference!, last.implementation);
  return [
    `@explore @seed:${origin.seed}`,
    `Feature: A difference kbus-conformance explore found (seed ${origin.seed})`,
    '',
    `  Found on ${origin.implementation}, shrunk from a session of ${d.foundLength} operations;`,
    `  ${differs}.`,
    `  Found again with: ${origin.replay}`,
    '',
    `  Scenario: Explored session of seed ${origin.seed} on ${origin.implementation} (${d.steps.length - 2} operations) ends as the reference says`,
    ...lines.map((l) => `    ${l}`),
    '',
  ].join('\n');
}

function stepText(a: Action): string[] {
  const who = `"${a.who}"`;
  switch (a.kind) {
    case 'open':
      return [a.readOnly ? `a read-only Ksock ${who}` : `a Ksock ${who}`];
    case 'close':
      return [`${who} is closed`];
    case 'discard':
      return [`${who} discards what it has written`];
    case 'poll':
      return [`${who} looks whether it is readable or writable`];
    case 'retry':
      return [`${who} sends what it has written once more`];
    case 'take':
      return [`${who} takes the next message without reading it`];
    case 'bind':
      return [`${who} binds as ${a.replier ? 'replier to' : 'a listener to'} "${a.name}"`];
    case 'unbind':
      return [`${who} unbinds as ${a.replier ? 'replier from' : 'a listener from'} "${a.name}"`];
    case 'send': {
      const how = a.pieces === 0 ? 'in one piece' : `in pieces of ${a.pieces} bytes`;
      const m = a.message;
      const rows: [string, string][] = [
        ['name', m.name],
        ['flags', `0x${m.flags.toString(16)}`],
        ...(m.to ? [['to', m.to] as [string, string]] : []),
        ...(m.inReplyTo ? [['in reply to', m.inReplyTo] as [string, string]] : []),
        ['data', JSON.stringify(m.data)],
        ...writtenRows(m.written),
      ];
      return [`${who} writes the message ${how} and sends it:`, ...tableRows(rows)];
    }
    case 'next':
      return [`${who} takes the next message and reads all of it${a.pieces === 0 ? '' : ` in pieces of ${a.pieces} bytes`}`];
    case 'read':
      return [`${who} reads up to ${a.count} bytes of its current message`];
    case 'limit':
      return [`${who} sets its queue limit to ${a.value}`];
    case 'once':
      return [`${who} sets only-once delivery with argument ${a.value}`];
    case 'report':
      return [`${who} sets replier-bind reporting with argument ${a.value}`];
    case 'query':
      return [a.query === 'REPLIER' ? `${who} asks who is the replier for "${a.name}"` : `${who} asks for its ${a.query}`];
  }
}

/** The header fields the sender filled in besides the usual ones, as the steps read them. */
function writtenRows(written: Written | undefined): [string, string][] {
  const fields: { extra?: number; id?: { networkId: number; serialNum: number } } = written ? WRITTEN[written] : {};
  return [...(fields.extra ? [['extra', String(fields.extra)] as [string, string]] : []), ...(fields.id ? [['written id', `${fields.id.networkId}:${fields.id.serialNum}`] as [string, string]] : [])];
}

function answerText(answer: Answer): string[] {
  if (!answer.ok) return [`it fails with ${answer.errno}`];
  const v: AnswerValue = answer.value;
  if ('done' in v) return ['it succeeds'];
  if ('number' in v) return [`it returns ${v.number}`];
  if ('ksock' in v) return [v.ksock === '0' ? 'it returns 0' : `it returns the Ksock id of "${v.ksock}"`];
  if ('id' in v) return [`it gives the message id ${v.id}`];
  if ('poll' in v) return [`it is ${v.poll.readable ? '' : 'not '}readable and ${v.poll.writable ? '' : 'not '}writable`];
  if ('noMessage' in v) return ['there was no message to take'];
  if ('message' in v) return ['the message it read is:', ...tableRows(v.message)];
  return [`${v.bytes} bytes come back, ids aside: ${v.masked || '(none)'}`];
}

/** What the implementation answered otherwise, in a line: for messages, the fields that differ. */
function difference(reference: Answer, implementation: Answer | undefined): string {
  if (reference.ok && implementation?.ok && 'message' in reference.value && 'message' in implementation.value) {
    const theirs = new Map(implementation.value.message);
    const ours = new Map(reference.value.message);
    const fields = [...new Set([...ours.keys(), ...theirs.keys()])].filter((f) => ours.get(f) !== theirs.get(f));
    return `the message read had ${fields.map((f) => `${f} ${theirs.get(f) ?? '(none)'} where the reference has ${ours.get(f) ?? '(none)'}`).join(', ')}`;
  }
  return `the implementation answered ${summary(implementation)} where the reference answered ${summary(reference)}`;
}

function summary(answer: Answer | undefined): string {
  if (!answer) return 'nothing (not run)';
  if (!answer.ok) return answer.errno;
  const text = JSON.stringify(answer.value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function tableRows(rows: readonly (readonly string[])[]): string[] {
  const cell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, '\\n');
  const cells = rows.map((r) => r.map(cell));
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return cells.map((r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`);
}
