/** What the HTTP server is built from; the composition root (`serve`) provides it. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CardStore } from '../card/store.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { Db } from '../store/db.ts';

export interface TriggerResult {
  briefId: number | null;
  /** Messages delivered (or queued) by this run, when it posts. */
  delivered?: number;
}

/** What a triggered run is doing, for GET /trigger/:id. */
export interface TriggerProgress {
  phase: 'writing' | 'delivering' | 'delivered';
  language: string;
  briefId?: number;
  /** Subscribers delivered to so far (all languages). */
  delivered: number;
}

export interface ServerConfig {
  /** 0 picks a free port (see the address `listen()` returns). */
  port: number;
  host: string;
  /** Bearer token for POST /trigger; unset turns the endpoint off (404). */
  triggerToken?: string | undefined;
  /** Absolute base URL for feed links (https://brief.example.org); else the Host header. */
  publicUrl?: string | undefined;
  /** Site title for the archive and the feed; else the newest brief's name. */
  title?: string | undefined;
  /** Briefs per archive page (default 20). */
  pageSize?: number | undefined;
  /** How long close() lets open requests finish before cutting them (default 5000 ms). */
  closeTimeoutMs?: number | undefined;
}

export interface ServerDeps {
  db: Db;
  metrics: Metrics;
  log: Logger;
  config: ServerConfig;
  /** Runs one brief (and delivery), telling its progress; POST /trigger never runs two at once. */
  trigger: (progress?: (p: TriggerProgress) => void) => Promise<TriggerResult>;
  /** Why a trigger cannot start now (another manual run holds the lock), or null: answered 409. */
  triggerBusy?: () => string | null;
  /** Handlers mounted in front of the routes at an exact path (Telegram's webhook callback). */
  mounts?: readonly { path: string; handler: (req: IncomingMessage, res: ServerResponse) => Promise<void> }[];
  /** More fields for /healthz (bot states, scheduler, outbox depth...). */
  healthExtras?: () => Record<string, unknown>;
  /** The market cards (shared with delivery, so each is drawn once); else the server keeps its own. */
  cards?: CardStore;
  /** What is down while the rest serves (e.g. ['telegram']): /healthz says "degraded" and names them. */
  degraded?: () => string[];
  now: () => Date;
}
