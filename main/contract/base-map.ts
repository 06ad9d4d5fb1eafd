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

/** A TopoJSON geometry made of arcs: each index names an arc (`~i` is arc `i` read backwards). */
type ArcGeometry<T extends string, A> = { type: T; arcs: A };

/**
 * The file: a TopoJSON topology (https://github.com/topojson/topojson-specification)
 * whose positions are already on the map's plane, as us-atlas ships its
 * pre-projected files. Arcs are quantised and delta-encoded (the first point
 * absolute, each next one the difference from the one before); `transform`
 * turns the integers back into plane units. Any TopoJSON reader opens it; the
 * shapes are spelled out here because the contract carries no packages.
 */
export type BaseMapFile = {
  type: 'Topology';
  /** Where the data came from, for anyone inspecting the file. */
  source: string;
  scale: string;
  /** The projection the points are on: a conformal conic with {@link ROTATE} and {@link PARALLELS}. */
  projection: { name: string; rotate: number; parallels: [number, number] };
  transform: { scale: [number, number]; translate: [number, number] };
  objects: {
    /** Landmasses, one polygon each, with its holes; every ring is one closed arc. */
    land: ArcGeometry<'MultiPolygon', number[][][]>;
    /** Borders between two countries (coasts come from `land`). */
    borders: ArcGeometry<'MultiLineString', number[][]>;
    /** Meridians and parallels every 10 degrees. */
    graticule: ArcGeometry<'MultiLineString', number[][]>;
  };
  /** Each arc's positions as integers: [x, y] first, then [dx, dy] steps. */
  arcs: number[][][];
};
