/**
 * How to provide what a skipped scenario lacked, shown under the summary's skip reasons: the
 * suite cannot give an implementation a capability, but it can say which option would.
 */

/** A skip reason mentioning `what` gets `how`; `adapter` limits it to runs through that adapter. */
const HINTS: { what: RegExp; how: string; adapter?: string }[] = [
  { what: /\bsecond-bus\b/, adapter: 'kernel', how: 'second-bus: a second device, --adapter-option secondDevice=/dev/kbus1 (serve --devices 2 makes DIR/kbus1)' },
  { what: /\bnew-device\b/, adapter: 'kernel', how: 'new-device: --adapter-option allowNewDevice=true (each NEWDEVICE leaves a device behind until the module is reloaded)' },
  { what: /\bproc-reports\b/, adapter: 'kernel', how: 'proc-reports: --adapter-option procBindings=FILE, when the bindings report is not /proc/kbus/bindings (a serve mount has DIR/bindings)' },
  { what: /\bfresh-device\b/, adapter: 'kernel', how: 'fresh-device: not through a loaded module, whose ids and serial numbers have moved on; the reference provides it' },
  { what: /absolute MAXMSGSIZE/, how: 'large messages: a device whose absolute MAXMSGSIZE is at least 409600 (serve --max-message-size 409600; for the module, its Kconfig)' },
];

/** The hints for a run's skip reasons, each once. */
export function skipHints(reasons: readonly string[], adapter: string): string[] {
  return HINTS.filter((h) => (h.adapter === undefined || h.adapter === adapter) && reasons.some((r) => h.what.test(r))).map((h) => `  to provide ${h.how}`);
}
