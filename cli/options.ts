/** The command line: what a run is asked to do, validated before anything starts. */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { BUILT_IN_ADAPTERS } from '../adapters/load';
import { UsageError } from './exit-codes';
import { DEFAULT_RUN_TIMEOUT_MINUTES } from './run-bound';

export interface RunOptions {
  command: 'run';
  /** `reference`, `kernel`, `remote`, or an absolute path to a user's adapter module. */
  adapter: string;
  device?: string;
  adapterOptions: Record<string, unknown>;
  tags?: string;
  /** Area names or wildcards (`names`, `wild*`), matched against the features' `@area:` tags. */
  areas: string[];
  parallel: number;
  /** Extra cucumber formatters and their output files (absolute; none means stdout). */
  formats: [formatter: string, target?: string][];
  knownDeviations?: string;
  reportsDir: string;
  quiet: boolean;
  dryRun: boolean;
  /** The whole run's bound (`--timeout`), in minutes. */
  timeoutMinutes: number;
  /** Feature files or directories; empty means the package's own features. */
  paths: string[];
}

export interface ReportOptions {
  command: 'report';
  reportsDir: string;
}

export type Command = RunOptions | ReportOptions | { command: 'help'; text: string } | { command: 'version' };

export const HELP = `Usage: kbus-conformance [options] [feature paths...]
       kbus-conformance report [--reports DIR]
       kbus-conformance serve --mount DIR [--devices N] [--max-message-size BYTES]
       kbus-conformance agent [--devices N] [--max-message-size BYTES]

Runs the KBUS conformance suite against an implementation and writes reports.

Implementation under test:
  -a, --adapter NAME|PATH    reference (default), kernel, remote, or the path of
                             your own module exporting createAdapter(options)
  -d, --device PATH          device for the kernel adapter, e.g. /dev/kbus0
                             (implies --adapter kernel when no adapter is given)
      --agent COMMAND        remote adapter: run COMMAND and speak to the agent on
                             its stdin/stdout, e.g. 'ssh root@board kbus-agent'
      --connect WHERE        remote adapter: an agent at tcp:HOST:PORT, unix:PATH
                             or on a serial line such as /dev/ttyUSB0
      --adapter-option K=V   passed to createAdapter in options; repeatable;
                             V is parsed as JSON when it can be (numbers, true)

Choosing scenarios:
  -t, --tags EXPR            cucumber tag expression, e.g. "@core and not @needs:pointy-messages"
      --area LIST            comma-separated areas or wildcards, e.g. names,wild*
      --dry-run              list the scenarios that would run, run nothing
  [feature paths...]         feature files or folders instead of the bundled ones

Running and reporting:
  -p, --parallel N           N worker processes (default 1)
  -k, --known-deviations F   file of behaviour ids or scenario names (one a line,
                             # comments) expected to fail for this implementation;
                             they do not fail the run, but an unexpected pass does
  -r, --reports DIR          where reports go (default ./reports)
  -f, --format NAME[:PATH]   an extra cucumber formatter (e.g. json:out.json, pretty)
      --timeout MINUTES      stop a run still going after this long, exit 1
                             (default ${DEFAULT_RUN_TIMEOUT_MINUTES})
  -q, --quiet                print only the summary
  -h, --help                 this text
  -V, --version              the suite version

Commands (each has its own --help):
  report                     build the Allure HTML report from the last run's
                             results (DIR/allure-results -> DIR/allure-report)
  serve                      serve reference devices DIR/kbus0..kbus{N-1} through
                             FUSE (root and /dev/fuse needed; --devices default 1,
                             --max-message-size default 409600) until Ctrl-C, SIGTERM
                             or the end of the process that started it; point
                             --device at them to test the kernel adapter or a client
  agent                      serve the reference over the remote protocol on
                             stdin/stdout (agent/PROTOCOL.md), as kbus-agent serves
                             a board's device: --agent 'kbus-conformance agent'

Exit codes: 0 conforming; 1 a scenario failed, an expected failure passed, or no
scenario ran; 2 usage error or no usable implementation.`;

export const REPORT_HELP = `Usage: kbus-conformance report [--reports DIR]

Builds the Allure HTML report of the last run from DIR/allure-results into
DIR/allure-report/index.html, one file that opens in a browser; its title gives the
run's verdict, the implementation and the selection.

  -r, --reports DIR   the run's reports folder (default ./reports)
  -h, --help          this text`;

const RUN_OPTIONS = {
  adapter: { type: 'string', short: 'a' },
  device: { type: 'string', short: 'd' },
  agent: { type: 'string' },
  connect: { type: 'string' },
  'adapter-option': { type: 'string', multiple: true },
  tags: { type: 'string', short: 't' },
  area: { type: 'string', multiple: true },
  'dry-run': { type: 'boolean' },
  parallel: { type: 'string', short: 'p' },
  'known-deviations': { type: 'string', short: 'k' },
  reports: { type: 'string', short: 'r' },
  format: { type: 'string', short: 'f', multiple: true },
  timeout: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

const REPORT_OPTIONS = {
  reports: RUN_OPTIONS.reports,
  help: RUN_OPTIONS.help,
} as const;

export function parseCommandLine(argv: string[], cwd: string = process.cwd()): Command {
  if (argv[0] === 'report') {
    const { values } = parse(argv.slice(1), REPORT_OPTIONS, false);
    if (values.help) return { command: 'help', text: REPORT_HELP };
    return { command: 'report', reportsDir: path.resolve(cwd, values.reports ?? 'reports') };
  }
  const { values, positionals } = parse(argv, RUN_OPTIONS, true);
  if (values.help) return { command: 'help', text: HELP };
  if (values.version) return { command: 'version' };

  const device = values.device;
  if (device !== undefined && device.trim() === '') throw new UsageError('--device needs a path, e.g. /dev/kbus0');
  const remote = remoteOptions(values.agent, values.connect);
  const adapter = values.adapter ?? (remote ? 'remote' : device !== undefined ? 'kernel' : 'reference');
  if (adapter === 'reference' && device !== undefined) {
    throw new UsageError(`--device ${device} is for the kernel adapter or your own; the reference adapter has no device`);
  }
  if (adapter === 'remote' && device !== undefined) {
    throw new UsageError(`--device ${device}: the remote adapter's agent opens the device; give it to the agent (--agent 'kbus-agent --device ${device}')`);
  }
  if (remote && adapter !== 'remote') throw new UsageError('--agent and --connect are for the remote adapter');
  if (adapter === 'remote' && !remote) throw new UsageError("--adapter remote needs --agent 'COMMAND' or --connect tcp:HOST:PORT|unix:PATH|/dev/ttyX");
  return {
    command: 'run',
    adapter: adapterSpec(adapter, cwd),
    device: device && path.resolve(cwd, device),
    adapterOptions: { ...parseAdapterOptions(values['adapter-option'] ?? []), ...remote },
    tags: values.tags,
    areas: (values.area ?? []).flatMap((a) => a.split(',')).map((a) => a.trim()).filter(Boolean),
    parallel: parseParallel(values.parallel),
    formats: (values.format ?? []).map((f) => absoluteFormat(f, cwd)),
    knownDeviations: values['known-deviations'] && path.resolve(cwd, values['known-deviations']),
    reportsDir: path.resolve(cwd, values.reports ?? 'reports'),
    quiet: values.quiet ?? false,
    dryRun: values['dry-run'] ?? false,
    timeoutMinutes: parseTimeout(values.timeout),
    paths: positionals.map((p) => path.resolve(cwd, p)),
  };
}

type OptionSpec = Parameters<typeof parseArgs>[0] extends infer C ? (C extends { options?: infer O } ? NonNullable<O> : never) : never;

function parse<O extends OptionSpec>(argv: string[], options: O, allowPositionals: boolean) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError(describeParseError(e as NodeJS.ErrnoException));
  }
}

/** node's messages run to several sentences; one short line is kinder in a CI log. */
export function describeParseError(e: NodeJS.ErrnoException): string {
  const option = /'(-[^']*)'/.exec(e.message)?.[1];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option ?? ''} (see --help)`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return `${option ?? 'an option'} needs a value (see --help)`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${/'([^']*)'/.exec(e.message)?.[1] ?? ''} (see --help)`;
    default:
      return `${e.message.split('\n')[0]} (see --help)`;
  }
}

/** A built-in's name, or the absolute path of the user's module; a bare word that is neither is taken for a misspelt built-in. */
function adapterSpec(adapter: string, cwd: string): string {
  if ((BUILT_IN_ADAPTERS as readonly string[]).includes(adapter)) return adapter;
  const file = path.resolve(cwd, adapter);
  if (/^[\w-]+$/.test(adapter) && !fs.existsSync(file) && !fs.existsSync(`${file}.js`)) {
    throw new UsageError(`no adapter "${adapter}": the built-in adapters are ${BUILT_IN_ADAPTERS.join(', ')}; give your own as a path, e.g. ./my-adapter.js`);
  }
  return file;
}

function remoteOptions(agent: string | undefined, connect: string | undefined): { agent: string } | { connect: string } | undefined {
  if (agent !== undefined && connect !== undefined) throw new UsageError('--agent and --connect are two ways to reach one agent: choose one');
  if (agent !== undefined && agent.trim() === '') throw new UsageError("--agent needs a command, e.g. 'ssh root@board kbus-agent'");
  if (connect !== undefined && !/^(tcp:.+:\d+|unix:.+|\/.+)$/.test(connect)) {
    throw new UsageError(`--connect needs tcp:HOST:PORT, unix:PATH or the path of a serial line (got "${connect}")`);
  }
  return agent !== undefined ? { agent } : connect !== undefined ? { connect } : undefined;
}

function parseParallel(text: string | undefined): number {
  if (text === undefined) return 1;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`--parallel needs a whole number of workers, 1 or more (got "${text}")`);
  return Number(text);
}

function parseTimeout(text: string | undefined): number {
  if (text === undefined) return DEFAULT_RUN_TIMEOUT_MINUTES;
  if (!/^\d+(\.\d+)?$/.test(text) || Number(text) <= 0) throw new UsageError(`--timeout needs a number of minutes above 0 (got "${text}")`);
  return Number(text);
}

export function parseAdapterOptions(pairs: string[]): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--adapter-option needs KEY=VALUE (got "${pair}")`);
    const value = pair.slice(eq + 1);
    options[pair.slice(0, eq)] = parseValue(value);
  }
  return options;
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Cucumber runs from the package's folder, so `json:out/x.json` and `./my-formatter.js` are
 * made absolute here, relative to where the user ran us.
 */
function absoluteFormat(format: string, cwd: string): [string, string?] {
  const colon = format.lastIndexOf(':');
  const [name, target] = colon > 0 ? [format.slice(0, colon), format.slice(colon + 1)] : [format, undefined];
  if (target === '') throw new UsageError(`--format ${format}: the path after ":" is empty`);
  const formatter = name.startsWith('.') || name.startsWith('/') ? path.resolve(cwd, name) : name;
  return target === undefined ? [formatter] : [formatter, path.resolve(cwd, target)];
}
