/**
 * Decoding the campaign map's base map: `assets/map/far-east.topo.json`
 * (written by `main/tools/make-map-data.ts`) is TopoJSON, fetched as a static
 * file when the map opens and turned back into the GeoJSON the map draws.
 */
import { feature } from 'topojson-client';
import type { MultiLineString, MultiPolygon, Topology } from 'topojson-specification';
import type { MapData } from './draw';

/** The file's shape: `land` and `borders` objects, the clip window as `bbox`, provenance alongside. */
export interface MapTopology extends Topology<{ land: MultiPolygon; borders: MultiLineString }> {
  bbox: [number, number, number, number];
  source: string;
  scale: string;
}

/** Turns the map's TopoJSON back into the land polygons and border lines the map draws. */
export function decodeMap(topo: MapTopology): MapData {
  const [w, s, e, n] = topo.bbox;
  return {
    source: topo.source,
    scale: topo.scale,
    extent: [
      [w, s],
      [e, n],
    ],
    land: feature(topo, topo.objects.land).geometry,
    borders: feature(topo, topo.objects.borders).geometry,
  };
}

/** Fetches and decodes the base map at `url`; rejects if the file cannot be had. */
export async function loadMap(url: string, signal?: AbortSignal): Promise<MapData> {
  const res = await fetch(url, { signal });
  if (!res.ok) throw new Error(`map data: ${res.status} ${res.statusText}`);
  return decodeMap((await res.json()) as MapTopology);
}
