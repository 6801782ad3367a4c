import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { NexusError } from '@nexus-cos/sdk';
import { ApplianceConfig, DEFAULTS, dataFiles } from './schema.js';
import { SETTINGS, envName, flagName, type Setting } from './settings.js';
import { defaultDataDir } from './data-dir.js';

type Json = Record<string, unknown>;

const invalid = (field: string, message: string): NexusError => new NexusError('CONFIG_INVALID', message, { field });

/** Converts one flag or environment string to its setting's type; `source` names where it came from. */
function convert(s: Setting, raw: string, source: string): unknown {
  switch (s.kind) {
    case 'string':
      return raw;
    case 'list':
      return raw.split(',').map((x) => x.trim()).filter((x) => x.length > 0);
    case 'boolean':
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      throw invalid(s.pointer, `${source}: expected true or false, got ${JSON.stringify(raw)}`);
    case 'port':
    case 'integer': {
      if (!/^[0-9]{1,9}$/.test(raw)) throw invalid(s.pointer, `${source}: expected an integer, got ${JSON.stringify(raw)}`);
      return Number(raw);
    }
  }
}

function setAt(obj: Json, pointer: string, value: unknown): void {
  const keys = pointer.slice(1).split('/');
  let cur = obj;
  for (const k of keys.slice(0, -1)) {
    const next = cur[k];
    cur = (cur[k] = typeof next === 'object' && next !== null && !Array.isArray(next) ? { ...(next as Json) } : {}) as Json;
  }
  cur[keys[keys.length - 1] as string] = value;
}

/** Deep merge of plain objects; arrays and scalars of `b` replace those of `a`. */
function merge(a: Json, b: Json): Json {
  const out: Json = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = typeof v === 'object' && v !== null && !Array.isArray(v) && typeof prev === 'object' && prev !== null && !Array.isArray(prev) ? merge(prev as Json, v as Json) : v;
  }
  return out;
}

/** What `loadConfig` reads: parsed flags (by flag name), the environment, and the file if present. */
export interface ConfigSources {
  readonly flags: Readonly<Record<string, string | undefined>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Read the config file; undefined when it does not exist. Injected for tests. */
  readonly readFile?: (path: string) => string | undefined;
}

const readIfExists = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw invalid('/dataDir', `cannot read ${path}: ${(e as Error).message}`);
  }
};

/** The overrides one source gives, as a partial config. */
function overrides(pick: (s: Setting) => [string, string] | undefined): Json {
  const out: Json = {};
  for (const s of SETTINGS) {
    const hit = pick(s);
    if (hit !== undefined) setAt(out, s.pointer, convert(s, hit[1], hit[0]));
  }
  return out;
}

/**
 * Resolves the configuration: flags > environment (`NEXUS_COS_*`) > `config.json` in the
 * data directory > defaults. The result is checked against the schema as a whole; the
 * first violation is CONFIG_INVALID naming the setting (as a JSON pointer).
 */
export function loadConfig(src: ConfigSources): ApplianceConfig {
  const fromFlags = overrides((s) => (src.flags[flagName(s)] === undefined ? undefined : [`--${flagName(s)}`, src.flags[flagName(s)] as string]));
  const fromEnv = overrides((s) => (src.env[envName(s)] === undefined || src.env[envName(s)] === '' ? undefined : [envName(s), src.env[envName(s)] as string]));
  const dataDir = resolve(String(fromFlags.dataDir ?? fromEnv.dataDir ?? defaultDataDir(src.env)));
  const path = dataFiles(dataDir).config;
  const text = (src.readFile ?? readIfExists)(path);
  let fromFile: Json = {};
  if (text !== undefined) {
    try {
      fromFile = JSON.parse(text) as Json;
    } catch (e) {
      throw invalid('/', `${path} is not JSON: ${(e as Error).message}`);
    }
    if (typeof fromFile !== 'object' || fromFile === null || Array.isArray(fromFile)) throw invalid('/', `${path} must hold a JSON object`);
    if ('dataDir' in fromFile) throw invalid('/dataDir', `${path}: dataDir cannot be set inside the data directory`);
  }
  const merged = merge(merge(merge(DEFAULTS as unknown as Json, fromFile), fromEnv), { ...fromFlags, dataDir });
  if (!isAbsolute(dataDir)) throw invalid('/dataDir', 'the data directory must be an absolute path');
  const first = Value.Errors(ApplianceConfig, merged).First();
  if (first !== undefined) {
    const field = first.path === '' ? '/' : first.path;
    const hint = field === '/ledger' || field === '/ledger/origin' ? ' (run `nexus-cos init` first)' : '';
    throw invalid(field, `${first.message}, got ${JSON.stringify(first.value) ?? 'nothing'}${hint}`);
  }
  return merged as ApplianceConfig;
}
