/**
 * The campaign map's base map as a file: written once at build time by
 * `main/tools/make-map-data.ts` (projected with d3-geo) and read by the page
 * (`src/lib/map/base-map.ts`), which places the exhibit's own points with the
 * same projection (`src/lib/map/projection.ts`).
 */

/** Longitude turned to the centre: the map's central meridian is 128 E. */
export const ROTATE = -128;

/** Standard parallels of the map's conformal conic, degrees north. */
export const PARALLELS: readonly [number, number] = [35, 55];

/**
 * The file: every ring and line is a flat list of integers, the first point
 * absolute and each next one the difference from the one before
 * (x0, y0, dx1, dy1, ...), in `1 / unit` of the plane's unit.
 */
export interface BaseMapFile {
  /** Where the data came from, for anyone inspecting the file. */
  source: string;
  scale: string;
  /** The projection the points are on: a conformal conic with {@link ROTATE} and {@link PARALLELS}. */
  projection: { name: string; rotate: number; parallels: [number, number] };
  unit: number;
  /** Landmasses, each a list of rings (outer first, then holes). */
  land: number[][][];
  borders: number[][];
  graticule: number[][];
}
