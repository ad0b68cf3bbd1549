import type { ProjectionManager, ProjectionStatus, RebuildStatus } from '@wih/application';
import {
  listParked,
  readActive,
  collectionOf,
  PersonalDataKeys,
  requestParkedActionIfParked,
  type ParkedAction,
  type ParkedEvent,
} from '@wih/application';
import type { EventStore } from '@wih/event-store';
import type { ReadStore } from '@wih/read-store';
import { loadSettings, openEventStore, openKeyStore, openReadStore, projectionManagers, workerPartitions } from '@wih/runtime';

/** What the CLI needs, either from a running API (HTTP) or from the stores directly. */
export interface Target {
  projections(): Promise<ProjectionStatus[]>;
  startRebuild(name: string): Promise<RebuildStatus>;
  rebuildStatus(name: string): Promise<RebuildStatus>;
  parked(name: string): Promise<ParkedEvent[]>;
  act(name: string, key: string, action: ParkedAction): Promise<void>;
  close(): Promise<void>;
}

export function apiTarget(baseUrl: string, token: string): Target {
  const call = async <T>(method: string, path: string): Promise<T> => {
    const res = await fetch(new URL(path, baseUrl), { method, headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json().catch(() => null)) as T & { detail?: string };
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${body?.detail ?? ''}`);
    return body;
  };
  const base = '/api/admin/projections';
  return {
    projections: () => call('GET', base),
    startRebuild: (name) => call('POST', `${base}/${name}/rebuild`),
    rebuildStatus: (name) => call('GET', `${base}/${name}/rebuild`),
    parked: (name) => call('GET', `${base}/${name}/parked`),
    act: async (name, key, action) => void (await call('POST', `${base}/${name}/parked/${encodeURIComponent(key)}/${action}`)),
    close: async () => undefined,
  };
}

/**
 * Straight on the stores (no API needed). The CLI joins the projections' lease: if no process
 * holds a projection it runs the rebuild itself; otherwise the holder runs it and reports progress.
 */
export async function storeTarget(): Promise<Target> {
  const settings = loadSettings();
  const events: EventStore = openEventStore(settings);
  const reads: ReadStore = openReadStore(settings);
  const keyStore = openKeyStore(settings);
  const managers = projectionManagers(events, reads, new PersonalDataKeys(keyStore), 'cli', undefined, workerPartitions(settings));
  const manager = async (name: string): Promise<ProjectionManager> => {
    const found = managers.get(name);
    if (!found) throw new Error(`no projection named ${name} (known: ${[...managers.keys()].join(', ')})`);
    return found;
  };
  const live = async (name: string) => {
    const active = await readActive(reads, name);
    if (!active) throw new Error(`projection ${name} has not run yet`);
    return collectionOf(name, active.generation);
  };
  const started = new Set<string>();
  return {
    projections: () => Promise.all([...managers.values()].map((m) => m.status())),
    startRebuild: async (name) => {
      const m = await manager(name);
      if (!started.has(name)) await m.start();
      started.add(name);
      return (await m.startRebuild()).status;
    },
    rebuildStatus: async (name) => {
      const status = await (await manager(name)).rebuildStatus();
      if (!status) throw new Error(`no rebuild of ${name} was started`);
      return status;
    },
    parked: async (name) => listParked(reads, await live(name)),
    act: async (name, key, action) => {
      if (!(await requestParkedActionIfParked(reads, await live(name), key, action)))
        throw new Error(`projection ${name} has no parked events for key ${key}`);
    },
    close: async () => {
      await Promise.all([...managers.values()].map((m) => m.stop()));
      await Promise.all([events.close(), reads.close(), keyStore.close()]);
    },
  };
}
