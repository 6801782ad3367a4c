/** How a setting is written on the command line or in the environment. */
export type SettingKind = 'string' | 'port' | 'integer' | 'boolean' | 'list';

/** One overridable setting: its place in the config, its flag and its environment variable. */
export interface Setting {
  /** JSON pointer into ApplianceConfig, e.g. `/http/port`. */
  readonly pointer: string;
  readonly kind: SettingKind;
}

/**
 * Every setting that flags and the environment can override. The flag is the pointer's
 * segments joined by `-` (`--http-port`), the variable is `NEXUS_COS_` plus the same in
 * upper case with `_` (`NEXUS_COS_HTTP_PORT`), so the three sources never disagree on names.
 */
export const SETTINGS: readonly Setting[] = [
  { pointer: '/dataDir', kind: 'string' },
  { pointer: '/http/host', kind: 'string' },
  { pointer: '/http/port', kind: 'port' },
  { pointer: '/http/bodyLimit', kind: 'integer' },
  { pointer: '/log/level', kind: 'string' },
  { pointer: '/ledger/origin', kind: 'string' },
  { pointer: '/operators', kind: 'list' },
  { pointer: '/knot/managed', kind: 'boolean' },
  { pointer: '/knot/host', kind: 'string' },
  { pointer: '/knot/port', kind: 'port' },
  { pointer: '/haraka/managed', kind: 'boolean' },
  { pointer: '/haraka/host', kind: 'string' },
  { pointer: '/haraka/port', kind: 'port' },
];

const words = (pointer: string): string[] => pointer.slice(1).split('/').flatMap((s) => s.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(' '));

/** `/http/bodyLimit` → `http-body-limit`. */
export const flagName = (s: Setting): string => words(s.pointer).join('-');

/** `/http/bodyLimit` → `NEXUS_COS_HTTP_BODY_LIMIT`. */
export const envName = (s: Setting): string => `NEXUS_COS_${words(s.pointer).join('_').toUpperCase()}`;
