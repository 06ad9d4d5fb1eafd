/**
 * Generates the kiosk's interface sounds into `assets/sounds/` with SoX.
 *
 * Run: `npx tsx main/tools/make-sounds.ts`. Needs `sox` with Ogg Vorbis support
 * (Debian: `apt-get install sox libsox-fmt-all`). The results are committed, so
 * neither builds nor CI need SoX.
 *
 * Every sound is synthesised from scratch (no samples), so the files carry no
 * third-party rights. They are deliberately quiet and short: a museum gallery is
 * a shared space.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT = fileURLToPath(new URL('../../assets/sounds/', import.meta.url));

/** One sound: SoX effect chains mixed together, then encoded. */
interface SoundSpec {
  name: string;
  rate: number;
  /** Each entry is the argument list after `sox -n -r RATE -c 1 part.wav`. */
  parts: string[][];
  /** Vorbis quality (-1..10); low is plenty for these. */
  quality: number;
}

const SOUNDS: SoundSpec[] = [
  {
    // A soft plucked "tock", under a tenth of a second.
    name: 'tap',
    rate: 44100,
    parts: [['synth', '0.09', 'pluck', 'E5', 'fade', 'p', '0', '0.09', '0.08', 'gain', '-10']],
    quality: 2,
  },
  {
    // A brief breath of filtered noise, like a page turning.
    name: 'turn',
    rate: 44100,
    parts: [
      [
        'synth',
        '0.35',
        'pinknoise',
        'band',
        '2200',
        '1800',
        'fade',
        'h',
        '0.1',
        '0.35',
        '0.22',
        'gain',
        '-16',
      ],
    ],
    quality: 2,
  },
  {
    // A low, slowly breathing drone for the attract loop; whole cycles of the tremolo so it loops cleanly.
    name: 'ambient',
    rate: 22050,
    parts: [
      ['synth', '20', 'sine', '110', 'sine', '164.81', 'remix', '-', 'tremolo', '0.1', '40', 'gain', '-26'],
      ['synth', '20', 'brownnoise', 'lowpass', '250', 'gain', '-30'],
    ],
    quality: 0,
  },
];

function sox(args: string[]): void {
  execFileSync('sox', args, { stdio: ['ignore', 'ignore', 'inherit'] });
}

function main(): void {
  mkdirSync(OUT, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'vitrine-sounds-'));
  try {
    for (const spec of SOUNDS) {
      const parts = spec.parts.map((effects, i) => {
        const file = join(work, `${spec.name}-${i}.wav`);
        sox(['-n', '-r', String(spec.rate), '-c', '1', file, ...effects]);
        return file;
      });
      const mixed = join(work, `${spec.name}.wav`);
      if (parts.length === 1) sox([parts[0]!, mixed]);
      else sox(['-m', ...parts, mixed]);
      const out = join(OUT, `${spec.name}.ogg`);
      sox([mixed, '-C', String(spec.quality), out]);
      console.log(`${out}  ${statSync(out).size} bytes`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
