/**
 * The browser host with live updates and the staff panel: the shared handler
 * over node:http, serving the live content store. `npm start`'s Chromium
 * kiosk mode can run this instead of a plain preview; tests run it in process.
 */
import path from 'node:path';
import type { SettingsOverrides } from '../handler/api.js';
import { createHandler } from '../handler/handler.js';
import { startHttpHost, type HttpHost } from '../hosts/http-host.js';
import { packageRoot } from '../kiosk/paths.js';
import { createKioskServices, type KioskServices, type KioskServicesOptions } from './kiosk.js';

/** Options for {@link startStaffKiosk}. */
export interface StaffKioskOptions extends KioskServicesOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The built renderer; default `dist/renderer`. */
  rendererDir?: string;
  settings?: SettingsOverrides;
}

/** A running kiosk host with staff services. */
export interface StaffKiosk {
  url: string;
  host: HttpHost;
  services: KioskServices;
  close(): Promise<void>;
}

/** Starts the live content, the staff routes and the browser host on 127.0.0.1. */
export async function startStaffKiosk(opts: StaffKioskOptions): Promise<StaffKiosk> {
  const services = await createKioskServices(opts);
  const handler = createHandler({
    rendererDir: opts.rendererDir ?? path.join(packageRoot(), 'dist', 'renderer'),
    content: services.live.source,
    settings: opts.settings,
    staff: services.staff,
    onRendererLog: services.onRendererLog,
  });
  let host: HttpHost;
  try {
    host = await startHttpHost({ handler, port: opts.port ?? 0, host: '127.0.0.1' });
  } catch (err) {
    services.close();
    throw err;
  }
  return {
    url: host.url,
    host,
    services,
    async close() {
      await host.close();
      services.close();
    },
  };
}
