// LangGraph checkpoints as both its savers store them, once read (SqliteSaver file or PostgresSaver
// database): one record per checkpoint with the writes of the tasks that ran from it. Values come as JSON
// when LangGraph.js's JsonPlusSerializer wrote them ("json"), or as what this build cannot read (Python's
// "msgpack", raw "bytes"): their type and size, never their bytes.
import { createHash } from 'node:crypto';
import type { Json } from '../../../../shared/snapshot';
import type { ImportSource } from '../../types';

export type LgValue = { json: Json } | { unreadable: { type: string; bytes: number } };

export interface LgWrite {
  taskId: string;
  idx: number;
  channel: string;
  value: LgValue;
}

export interface LgCheckpoint {
  thread: string;
  /** '' for the thread's graph; `node:<taskId>` (and `a:<id>|b:<id>` deeper) for a subgraph's. */
  ns: string;
  id: string;
  parent: string | null;
  /** The checkpoint body: {v, id, ts, channel_values, channel_versions, versions_seen}. */
  checkpoint: LgValue;
  /** {source: input|loop|update|fork, step, parents, …}. */
  metadata: LgValue;
  /** Writes of the tasks that ran from this checkpoint (pending writes), in task, idx order. */
  writes: LgWrite[];
  source: ImportSource;
}

/** What stands in the state (or an output) for a value this build cannot read. */
export function unreadablePlaceholder(type: string, bytes: number): Json {
  return { $langgraph: 'unreadable value', serialization: type, bytes };
}

export function isUnreadablePlaceholder(value: Json | undefined): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && value.$langgraph === 'unreadable value';
}

export function valueJson(value: LgValue): Json {
  return 'json' in value ? value.json : unreadablePlaceholder(value.unreadable.type, value.unreadable.bytes);
}

/** The time a UUIDv6 (LangGraph's checkpoint ids) was made, as epoch ms; undefined for another kind of id. */
export function uuid6Time(id: string): number | undefined {
  const hex = id.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex) || hex[12] !== '6') return undefined;
  // time_high (32 bits) · time_mid (16) · version (4) · time_low (12): 100 ns since 1582-10-15.
  const ticks = BigInt(`0x${hex.slice(0, 12)}${hex.slice(13, 16)}`);
  return Number(ticks / 10_000n) - 12_219_292_800_000;
}

/** RFC 4122 version 5 (SHA-1) of a name in a namespace uuid, as LangGraph.js makes task ids. */
export function uuid5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * LangGraph's own channels: the input (`__start__`), the task queue (`__pregel_tasks`), which node runs
 * next (`branch:to:*`, `join:*`, older `start:*`/`branch:*`). Kept in the original record, not the state.
 */
export function isBookkeepingChannel(name: string): boolean {
  return name.startsWith('__') || /^(branch|join|start):/.test(name);
}
