/**
 * The one composition root of a kiosk host. Every host (the Electron kiosk,
 * `npm start`'s browser host, `npm run preview`) builds its request handler
 * here, from the same parts in the same way; the host only mounts it
 * (`protocol.handle` or node:http) and supplies its own restart and exit.
 *
 * Two shapes: the kiosk (the content store with live updates from the content
 * folder and the inbox, and the staff panel) and the editors' preview (the
 * content folder as it is on disk, with its problems listed).
 */
import { withFullValidation } from '../content/full-validation.js';
import { createContentSource, type ContentSource } from '../content/source.js';
import type { RendererLogEntry, SettingsOverrides } from '../handler/api.js';
import { createHandler, type Handler } from '../handler/handler.js';
import type { StaffHostActions } from '../handler/staff.js';
import {
  readKioskConfig,
  resolveKioskFolders,
  type ConfigNoteSink,
  type KioskConfig,
  type KioskFolders,
} from './config.js';
import { builtRendererDir, isBundledExhibit } from './paths.js';
import { createKioskServices, type KioskServices } from './services.js';

/** The kiosk shape: live content store and staff panel. */
export interface LiveKioskOptions {
  /** The user-data folder: holds `config.json`, `staff.json` and, by default, the content store. */
  userData: string;
  /** Where `VITRINE_CONTENT_STORE` and `VITRINE_INBOX` are read. */
  env: Record<string, string | undefined>;
  /** The `--inbox DIR` flag. */
  inboxFlag?: string;
  /** The `--channel URL` and `--metrics-port N` flags. */
  channelFlag?: string;
  metricsPortFlag?: number;
  /** Only seed an empty store from the content folder; default: when it is the bundled exhibit. */
  seedOnly?: boolean;
  /** What the staff panel's restart and exit do on this host. */
  actions?: StaffHostActions;
  /** config.json when the host has read it already (it reads it once per start); else read here. */
  config?: KioskConfig;
  /** Hears what is wrong with `config.json` when it is read here (see ./config.ts). */
  onConfigNote?: ConfigNoteSink;
  /** Hears each renderer report before the store does (e.g. the Electron event log). */
  onRendererLog?: (entry: RendererLogEntry) => void;
  /** Faster polling and shorter waits, for tests. */
  tuning?: {
    pollMs?: number;
    stableMs?: number;
    confirmMs?: number;
    staffIdleMs?: number;
    channelPollMs?: number;
    channelErrorMs?: number;
    channelTimeoutMs?: number;
    /** The clock the opening hours follow. */
    scheduleNow?: () => number;
  };
}

/** What {@link assembleKiosk} builds from. */
export interface KioskAssemblyOptions {
  /** The content folder. */
  contentDir: string;
  /** The built renderer; default `dist/renderer` in the package. */
  rendererDir?: string;
  /** Settings overrides from the flags, applied to `/api/exhibit`. */
  settings?: SettingsOverrides;
  /** The kiosk shape; without it, the editors' preview of the content folder. */
  live?: LiveKioskOptions;
  /** Editors' preview: full archive-aware checks and `/api/preview/status`. */
  editor?: boolean;
  /** Preview only: reload the folder when its files change (default true). */
  watch?: boolean;
  /** Lines from the content store and inbox. */
  log?: (line: string) => void;
}

/** A kiosk's handler and what it serves. */
export interface KioskAssembly {
  /** Mount this on the host. */
  handler: Handler;
  /** The content being served. */
  content: ContentSource;
  /** The kiosk shape's services (live content, staff); undefined in the preview. */
  services?: KioskServices;
  /** The kiosk shape's store and inbox. */
  folders?: KioskFolders;
  /** Stops watching content and, for the kiosk, closes its services and frees its single-instance lock. */
  close(): void;
}

/** {@link KioskAssemblyOptions} of the kiosk shape. */
export type LiveKioskAssemblyOptions = KioskAssemblyOptions & { live: LiveKioskOptions };

/** Starts the content (and, for the kiosk, the staff services) and builds the one handler. */
export async function assembleKiosk(
  opts: LiveKioskAssemblyOptions,
): Promise<KioskAssembly & Required<Pick<KioskAssembly, 'services' | 'folders'>>>;
export async function assembleKiosk(opts: KioskAssemblyOptions): Promise<KioskAssembly>;
export async function assembleKiosk(opts: KioskAssemblyOptions): Promise<KioskAssembly> {
  const live = opts.live;
  let services: KioskServices | undefined;
  let folders: KioskFolders | undefined;
  let content: ContentSource;
  if (live) {
    const config = live.config ?? (await readKioskConfig(live.userData, live.onConfigNote));
    folders = resolveKioskFolders({
      userData: live.userData,
      config,
      env: live.env,
      inboxFlag: live.inboxFlag,
    });
    services = await createKioskServices({
      contentDir: opts.contentDir,
      store: folders.store,
      inbox: folders.inbox,
      seedOnly: live.seedOnly ?? isBundledExhibit(opts.contentDir),
      userData: live.userData,
      config,
      actions: live.actions,
      channelFlag: live.channelFlag,
      metricsPortFlag: live.metricsPortFlag,
      env: live.env,
      ...live.tuning,
      fleetTuning: live.tuning,
      log: opts.log,
    });
    content = services.live.source;
  } else {
    content = await createContentSource(opts.contentDir, { watch: opts.watch ?? true });
  }
  // Editors see the full archive-aware check (missing files, credits, caption length), not only the schema's.
  if (opts.editor) content = withFullValidation(content);
  const kiosk = services;
  const handler = createHandler({
    rendererDir: opts.rendererDir ?? builtRendererDir(),
    content,
    settings: opts.settings,
    preview: opts.editor ?? false,
    staff: kiosk?.staff,
    visits: kiosk?.visits,
    schedule: kiosk?.schedule,
    onRendererLog: kiosk
      ? (entry) => {
          live?.onRendererLog?.(entry);
          kiosk.onRendererLog(entry);
        }
      : undefined,
  });
  let closed = false;
  return {
    handler,
    content,
    services,
    folders,
    // The kiosk's services close everything they hold, the live store and the single-instance lock
    // included; the preview has only its content source. Closing twice is harmless.
    close: () => {
      if (closed) return;
      closed = true;
      if (services) services.close();
      else content.close();
    },
  };
}
