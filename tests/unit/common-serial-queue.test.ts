import { describe, expect, it } from 'vitest';
import { createSerialQueue } from '../../main/common/serial-queue.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('createSerialQueue', () => {
  it('runs one job at a time, in the order given', async () => {
    const serial = createSerialQueue();
    const seen: string[] = [];
    let running = 0;
    const job = (name: string) => async () => {
      running++;
      expect(running).toBe(1);
      seen.push(`start ${name}`);
      await tick();
      seen.push(`end ${name}`);
      running--;
      return name;
    };
    const results = await Promise.all([serial(job('a')), serial(job('b')), serial(job('c'))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(seen).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('gives a failure to its own caller and still runs the next job', async () => {
    const serial = createSerialQueue();
    const failed = serial(async () => {
      await tick();
      throw new Error('disk full');
    });
    const next = serial(async () => 'ran');
    await expect(failed).rejects.toThrow('disk full');
    await expect(next).resolves.toBe('ran');
  });
});
