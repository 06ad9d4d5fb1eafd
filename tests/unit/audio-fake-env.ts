/**
 * A small stand-in for the browser's audio (Web Audio and HTML media elements), enough
 * for the real Howler to run under Node. Import it BEFORE anything that imports howler:
 * Howler probes `window`, `Audio` and codecs when its module is first evaluated.
 *
 * Time comes from `Date.now()` and `setTimeout`, so vitest's fake timers drive playback.
 * A fake file's length is written in its URL: `fake://name-3.5s.ogg` lasts 3.5 seconds;
 * Web Audio data URIs carry it as their base64 payload (`dur=0.08`).
 */

/** Every media element created, for assertions. */
export const elements: FakeAudio[] = [];
/** Every buffer source started through the fake AudioContext and not yet stopped or ended. */
export const liveSources = new Set<FakeBufferSource>();

const durationOf = (src: string): number => {
  const m = /-([\d.]+)s\.ogg$/.exec(src);
  if (m) return Number(m[1]);
  return NaN;
};

/** A fake HTMLAudioElement driven by Date.now(). */
export class FakeAudio extends EventTarget {
  preload = 'auto';
  volume = 1;
  muted = false;
  playbackRate = 1;
  duration = NaN;
  readyState = 0;
  paused = true;
  ended = false;
  error: { code: number } | null = null;
  oncanplaythrough: unknown = null;
  #src = '';
  #offset = 0;
  #startedAt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    elements.push(this);
  }

  get src(): string {
    return this.#src;
  }
  set src(value: string) {
    this.#src = String(value);
    this.readyState = 0;
  }

  get currentTime(): number {
    if (this.paused) return this.#offset;
    return Math.min(this.duration, this.#offset + (Date.now() - this.#startedAt) / 1000);
  }
  set currentTime(t: number) {
    this.#offset = t;
    this.#startedAt = Date.now();
  }

  canPlayType(type: string): string {
    return /ogg|wav|mpeg|mp3|webm/.test(type) ? 'probably' : '';
  }

  load(): void {
    const src = this.#src;
    if (src.startsWith('data:')) return;
    setTimeout(() => {
      if (this.#src !== src) return;
      const d = durationOf(src);
      if (!Number.isFinite(d)) {
        this.error = { code: 4 };
        this.dispatchEvent(new Event('error'));
        return;
      }
      this.duration = d;
      this.readyState = 4;
      this.dispatchEvent(new Event('canplaythrough'));
    }, 1);
  }

  play(): Promise<void> {
    if (!this.paused) return Promise.resolve();
    this.paused = false;
    this.ended = false;
    this.#startedAt = Date.now();
    const left = (this.duration - this.#offset) * 1000;
    if (Number.isFinite(left)) {
      this.#timer = setTimeout(() => {
        this.#offset = this.duration;
        this.paused = true;
        this.ended = true;
        this.dispatchEvent(new Event('ended'));
      }, left);
    }
    return Promise.resolve();
  }

  pause(): void {
    if (this.paused) return;
    this.#offset = this.currentTime;
    this.paused = true;
    clearTimeout(this.#timer);
  }
}

class FakeParam {
  value = 1;
  setValueAtTime(v: number): void {
    this.value = v;
  }
  linearRampToValueAtTime(v: number): void {
    this.value = v;
  }
  cancelScheduledValues(): void {}
}

class FakeNode {
  connect(): void {}
  disconnect(): void {}
}

class FakeGain extends FakeNode {
  gain = new FakeParam();
  paused = true;
}

/** A fake AudioBufferSourceNode. */
export class FakeBufferSource extends FakeNode {
  buffer: { duration: number } | null = null;
  loop = false;
  loopStart = 0;
  loopEnd = 0;
  playbackRate = new FakeParam();
  onended: (() => void) | null = null;
  start(): void {
    liveSources.add(this);
  }
  stop(): void {
    liveSources.delete(this);
  }
  override disconnect(): void {
    liveSources.delete(this);
  }
}

/** A fake AudioContext whose clock is Date.now(). */
export class FakeAudioContext {
  state = 'running';
  sampleRate = 44100;
  destination = new FakeNode();
  #t0 = Date.now();
  get currentTime(): number {
    return (Date.now() - this.#t0) / 1000;
  }
  createGain(): FakeGain {
    return new FakeGain();
  }
  createBufferSource(): FakeBufferSource {
    return new FakeBufferSource();
  }
  createBuffer(_channels: number, length: number, rate: number): { duration: number } {
    return { duration: length / rate };
  }
  decodeAudioData(data: ArrayBuffer): Promise<{ duration: number }> {
    const text = new TextDecoder().decode(data);
    const m = /^dur=([\d.]+)$/.exec(text);
    return m ? Promise.resolve({ duration: Number(m[1]) }) : Promise.reject(new Error('not audio'));
  }
  resume(): Promise<void> {
    this.state = 'running';
    return Promise.resolve();
  }
  suspend(): Promise<void> {
    this.state = 'suspended';
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** A Web Audio sound of `seconds`, as a data URI Howler decodes without a network. */
export const fakeSound = (seconds: number): string =>
  `data:audio/ogg;base64,${Buffer.from(`dur=${seconds}`).toString('base64')}`;

const g = globalThis as Record<string, unknown>;
g.window = globalThis;
g.document ??= Object.assign(new EventTarget(), {});
g.Audio = FakeAudio;
g.AudioContext = FakeAudioContext;
g.location ??= { protocol: 'http:' };
// With a `document` present, media-captions builds on the browser's own VTTCue.
g.VTTCue ??= class VTTCue extends EventTarget {
  id = '';
  pauseOnExit = false;
  constructor(
    public startTime: number,
    public endTime: number,
    public text: string,
  ) {
    super();
  }
};
