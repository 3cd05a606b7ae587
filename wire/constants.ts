/** Numbers every KBUS implementation shares: guards, flags, limits, KBUS's own message names. */

export const START_GUARD = 0x7375624b; // "Kbus" in little-endian memory
export const END_GUARD = 0x4b627573; // "subK"

export const FLAG = {
  WANT_A_REPLY: 0x1,
  WANT_YOU_TO_REPLY: 0x2,
  SYNTHETIC: 0x4,
  URGENT: 0x8,
  ALL_OR_WAIT: 0x100,
  ALL_OR_FAIL: 0x200,
} as const;

export type FlagName = keyof typeof FLAG;

export const LIMITS = {
  /** Shortest valid name: `$.` plus one character. */
  MIN_NAME_LEN: 3,
  MAX_NAME_LEN: 1000,
  DEFAULT_MAX_MESSAGES: 100,
  /** MAXMSGSIZE can never be set below this. */
  MIN_SETTABLE_MAX_MSG_SIZE: 100,
  /** The in-kernel Kconfig defaults. */
  DEFAULT_MAX_MSG_SIZE: 1024,
  ABS_MAX_MSG_SIZE: 1024,
  /** Both size limits of the module's own out-of-tree build, which its tests run against. */
  OUT_OF_TREE_MAX_MSG_SIZE: 409600,
  MAX_DEVICES: 256,
  /** Device-wide list of replier-unbind events waiting for room in a listener's queue. */
  SET_ASIDE_EVENTS: 1000,
} as const;

/** Argument of the MSGONLYONCE, VERBOSE and REPORTREPLIERBINDS switches that only queries. */
export const SWITCH_QUERY = 0xffffffff;

/** MAXMSGSIZE arguments that query rather than set. */
export const MAXMSGSIZE_QUERY = 0;
export const MAXMSGSIZE_QUERY_ABSOLUTE = 1;

export const KBUS_NAME = {
  GONE_AWAY: '$.KBUS.Replier.GoneAway',
  IGNORED: '$.KBUS.Replier.Ignored',
  UNBOUND: '$.KBUS.Replier.Unbound',
  DISAPPEARED: '$.KBUS.Replier.Disappeared',
  ERROR_SENDING: '$.KBUS.ErrorSending',
  REPLIER_BIND_EVENT: '$.KBUS.ReplierBindEvent',
  UNBIND_EVENTS_LOST: '$.KBUS.UnbindEventsLost',
} as const;

/** Poll event bits as Linux defines them. */
export const POLL = {
  IN: 0x001,
  OUT: 0x004,
  RDNORM: 0x040,
  WRNORM: 0x100,
} as const;

export type PointerSize = 4 | 8;
